app_name = "fasttrack"

urlpatterns: list = []
