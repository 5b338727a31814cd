from tests.partners.conftest import (  # noqa: F401 - the partners fixtures serve the fast track's tests too
    coordinator,
    other_owner,
    other_qtsp,
    owner,
    private_media,
    programme,
    qtsp,
)
