"""A minimal upload view, so the package is tested through Django's real multipart parsing."""

from django import forms
from django.http import HttpResponse, JsonResponse
from django.urls import path

from documents.forms import DocumentField
from documents.storage import private_storage, private_upload_to

upload_to = private_upload_to("test-evidence")


class EvidenceForm(forms.Form):
    document = DocumentField()


def upload(request):
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors["document"]}, status=400)
    file = form.cleaned_data["document"]
    stored = private_storage.save(upload_to(None, file.name), file)
    return HttpResponse(stored)


urlpatterns = [path("upload/", upload)]
