"""What accreditation asks or tells the apps beside and above it (exams, fasttrack), which it cannot import.

Those apps connect their receivers in their ``AppConfig.ready``; accreditation never imports them.
"""

from django.dispatch import Signal

# Sent with ``user=`` and ``level_code=`` while the eligibility checklist is built. A receiver returns a
# dict of the facts its app owns, among ``exam_passed``, ``fasttrack_accepted`` and
# ``fasttrack_training_completed`` (booleans). A fact nobody answers stays ``None``: PENDING, never met.
eligibility_facts_requested = Signal()

# Sent with ``application=`` (a LevelApplication accepted for the exam) before the lapse job closes it
# because its exam window ended. A receiver returns True when the lapse must wait (the candidate sat the
# exam inside the window and the result is not recorded yet); the job then looks again on its next run.
exam_window_closing = Signal()
