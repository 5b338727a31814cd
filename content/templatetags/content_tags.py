from django import template

from content.rendering import markdown_render

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """``{{ page.body|markdown }}``: Markdown through the sanitizer."""
    return markdown_render(text)
