from django.dispatch import Signal

exam_window_closing = Signal()
