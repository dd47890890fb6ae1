"""Uploads are refused by their size before they are read, not after.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count files: an upload of any size would be
read to a temporary file before a form could say it is too large. RequestSizeLimitHandler
comes first in FILE_UPLOAD_HANDLERS and stops at settings.MAX_UPLOAD_REQUEST_SIZE:

- a body that declares a larger Content-Length is refused before a byte of it is read;
- a body that declares less than it sends is counted as it arrives and stopped at the
  limit (under WSGI Django reads no further than Content-Length anyway, and a body with none
  is read as empty; an ASGI server hands Django the body whatever the header says).

UploadSizeLimitMiddleware answers the refusal with a 413 page. It reads request.POST itself
(CsrfViewMiddleware would read it a moment later in any case), because an exception raised
while a later middleware or the view reads it could no longer be answered here. Reading it
early means a view cannot change request.upload_handlers; none of ours does.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.shortcuts import render


class UploadTooLarge(RequestDataTooBig):
    """A SuspiciousOperation, so that where it is not caught it is a 400, never a 500."""


class RequestSizeLimitHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > settings.MAX_UPLOAD_REQUEST_SIZE:
            raise UploadTooLarge("The request body is larger than MAX_UPLOAD_REQUEST_SIZE.")

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.MAX_UPLOAD_REQUEST_SIZE:
            raise UploadTooLarge("The files sent are larger than MAX_UPLOAD_REQUEST_SIZE.")
        return raw_data  # on to the next handler, which stores it

    def file_complete(self, file_size):
        return None  # the next handler makes the file


class UploadSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type == "multipart/form-data":
            try:
                request.POST  # noqa: B018 (parsing is the point: the handler refuses here)
            except UploadTooLarge:
                return render(request, "413.html", status=413)
        return self.get_response(request)
