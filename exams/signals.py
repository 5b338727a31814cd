from django.dispatch import Signal

# Sent after a passing result commits: candidate=User, level_code=str, result=ExamResult.
# The accreditation app listens and moves the level application on.
exam_passed = Signal()
