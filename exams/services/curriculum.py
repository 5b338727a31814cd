from django.db import transaction

from exams.models import ExamBlueprint, Topic, TopicWeight, weights_total_check


@transaction.atomic
def blueprint_weights_set(*, blueprint: ExamBlueprint, weights: dict[str, int], actor=None) -> ExamBlueprint:
    """Replace a level's topic weights (topic code -> percent); refused unless they add up to 100."""
    weights_total_check(weights.values())
    topics = {topic.code: topic for topic in Topic.objects.filter(code__in=weights)}
    for code, weight in weights.items():
        TopicWeight.objects.update_or_create(blueprint=blueprint, topic=topics[code], defaults={"weight": weight})
    TopicWeight.objects.filter(blueprint=blueprint).exclude(topic__code__in=weights).delete()
    blueprint.save(update_fields=["updated_at"])
    return blueprint
