from publications.models.library import Article, Issue, Publication, Research
from publications.models.newsletter import Mailing, MailingDelivery, MailingEvent, Subscriber

__all__ = ["Article", "Issue", "Mailing", "MailingDelivery", "MailingEvent", "Publication", "Research", "Subscriber"]
