from django import template
from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.utils.html import format_html
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from trama import formats, widgets
from trama.text import guess_language

register = template.Library()

# What Django writes as the empty choice of a drop-down when a form does not say better.
DJANGO_EMPTY_LABEL = "---------"


def _prompt(field):
    """Django's "---------" as the first option of a drop-down becomes words: "Scegli" where an answer is
    required, "Nessuna scelta" where none is. A form that knows better sets its own empty label."""
    form_field = field.field
    words = _("Scegli") if form_field.required else _("Nessuna scelta")
    if hasattr(form_field, "empty_label"):  # a model choice field: it writes the label when it lists its options
        if form_field.empty_label == DJANGO_EMPTY_LABEL:
            form_field.empty_label = words
    elif any(value == "" and label == DJANGO_EMPTY_LABEL for value, label in getattr(form_field, "choices", ())):
        form_field.choices = [(value, words if value == "" and label == DJANGO_EMPTY_LABEL else label) for value, label in form_field.choices]


@register.filter
def control(field):
    """Render a form field's widget with the design system's class and error state, and a real prompt."""
    select = field.widget_type in {"select", "selectmultiple", "nullbooleanselect"}
    if select:
        _prompt(field)
    attrs = {"class": "form-select" if select else "form-control"}
    if field.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}-errore"
    return widgets.render(field, attrs)  # field.as_widget(attrs=attrs), drawn without Django's per-option templates


# The names workers read in the "lingua: …" hint (trama.text.guess_language's codes).
LANGUAGE_NAMES = {
    "ar": gettext_lazy("arabo"),
    "uk": gettext_lazy("ucraino"),
    "ru": gettext_lazy("russo"),
    "cyrillic": gettext_lazy("alfabeto cirillico"),
    "ro": gettext_lazy("romeno"),
    "sq": gettext_lazy("albanese"),
    "fr": gettext_lazy("francese"),
    "en": gettext_lazy("inglese"),
}


@register.simple_tag
def written_in(text):
    """ "lingua: arabo" beside a person's text that seems not Italian; nothing otherwise. Never a translation."""
    code = guess_language(text or "")
    if code is None:
        return ""
    return format_html(
        '<span class="badge bg-light text-dark border ms-1" data-testid="text-language">{}</span>',
        _("lingua: %(name)s") % {"name": LANGUAGE_NAMES[code]},
    )


@register.filter
def euro(value, decimals=2):
    """An amount of money as the active language writes it: "€ 48,00" in Italian (trama.formats.euro)."""
    return formats.euro(value, decimals)


@register.filter
def quantity(value):
    """A quantity without decimals that are zero: "80", "2,5" (trama.formats.quantity)."""
    return formats.quantity(value)


class PublicCacheNode(template.Node):
    """A page's content, kept for anonymous visitors (see `trama.shortcuts.public_cache`).

    Drawn as usual unless the view put a `public_cache` version in the context, which it does only
    for a visitor who is not signed in: then the content is read from the cache under the page's
    address, its query, the language, the city and that version, or drawn and stored for
    settings.TRAMA_PUBLIC_CACHE_SECONDS. Signed-in pages are never read from it nor stored in it.
    """

    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        version = context.get("public_cache")
        request = context.get("request")
        if version is None or request is None or request.user.is_authenticated:
            return self.nodelist.render(context)
        key = make_template_fragment_key("public", [request.get_full_path(), get_language(), bool(getattr(request, "htmx", False)), version])
        content = cache.get(key)
        if content is None:
            content = self.nodelist.render(context)
            cache.set(key, content, settings.TRAMA_PUBLIC_CACHE_SECONDS)
        return content


@register.tag
def public_cache(parser, token):
    """{% public_cache %}…{% endpublic_cache %}: see PublicCacheNode."""
    nodelist = parser.parse(("endpublic_cache",))
    parser.delete_first_token()
    return PublicCacheNode(nodelist)
