"""The online training: content a pharmacist follows on a phone, answers with feedback, completion recorded once."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from trama.attention import services
from trama.attention.models import Antenna, LessonDone, ModuleCompleted, Signal
from trama.attention.queries import online_completions
from trama.attention.training import introductory_module, online_modules
from trama.people.models import Role
from trama.testing import STIGMA

pytestmark = pytest.mark.django_db

INTRO = introductory_module()


def lesson_url(number, module=INTRO):
    return reverse("attention:online_lesson", args=[module.slug, number])


def right(lesson):
    return next(i for i, a in enumerate(lesson.question.answers) if a.correct)


def wrong(lesson):
    return next(i for i, a in enumerate(lesson.question.answers) if not a.correct)


def follow_all(client, module=INTRO):
    for lesson in module.lessons:
        client.post(lesson_url(lesson.number, module), {"answer": right(lesson)} if lesson.question else {})


def test_the_content_is_a_short_course_with_questions_that_teach():
    assert [m.introductory for m in online_modules()].count(True) == 1
    assert len(online_modules()) >= 2
    assert 4 <= len(INTRO.lessons) <= 6
    assert 4 <= sum(1 for lesson in INTRO.lessons if lesson.question) <= 6
    for module in online_modules():
        assert module.sources and 5 <= module.minutes <= 10
        for lesson in module.lessons:
            # A phone screen or two: under about 250 words a lesson.
            assert len(" ".join(lesson.body + lesson.say + lesson.not_say).split()) < 250, lesson.slug
            if lesson.question:
                assert [a.correct for a in lesson.question.answers].count(True) == 1, lesson.slug
                assert all(a.feedback for a in lesson.question.answers)
    # No label on the people an antenna meets, but in the examples of what not to say (and the wrong answers).
    for module in online_modules():
        for lesson in module.lessons:
            told = [*lesson.body, *lesson.say] + (
                [lesson.question.text, *(a.text for a in lesson.question.answers if a.correct)] if lesson.question else []
            )
            assert not STIGMA.search(" ".join(told)), (lesson.slug, STIGMA.search(" ".join(told)))
    words = " ".join(" ".join(lesson.body) for lesson in INTRO.lessons)
    assert "pane e latte" in words and "112" in words
    assert any("Psychological first aid" in source for source in INTRO.sources)


def test_a_right_answer_records_the_lesson_and_leads_to_the_next(client, antenna):
    client.force_login(antenna)
    lesson = INTRO.lesson(1)
    page = client.get(lesson_url(1)).content.decode()
    assert escape(lesson.title) in page and escape(lesson.question.text) in page
    response = client.post(lesson_url(1), {"answer": right(lesson)})
    assert response.status_code == 302 and response["Location"] == lesson_url(2)
    assert list(LessonDone.objects.values_list("account", "module", "lesson")) == [(antenna.pk, INTRO.slug, lesson.slug)]
    assert escape(lesson.question.answers[right(lesson)].feedback) in client.get(lesson_url(2)).content.decode()


def test_a_wrong_answer_gives_its_feedback_and_records_nothing(client, antenna):
    client.force_login(antenna)
    lesson = INTRO.lesson(2)
    response = client.post(lesson_url(2), {"answer": wrong(lesson)})
    assert response.status_code == 200
    page = response.content.decode()
    assert escape(lesson.question.answers[wrong(lesson)].feedback) in page and "Riprova" in page
    assert not LessonDone.objects.exists()


@pytest.mark.parametrize("answer", ["", "7", "-1", "uno", "<b>0</b>"])
def test_a_missing_or_made_up_answer_is_refused_in_italian(client, antenna, answer):
    client.force_login(antenna)
    response = client.post(lesson_url(1), {"answer": answer})
    assert response.status_code == 400
    assert "Scegli una risposta." in response.content.decode() or "Scelta non valida" in response.content.decode()
    assert not LessonDone.objects.exists()


def test_the_module_is_completed_once_with_its_first_date(client, antenna):
    client.force_login(antenna)
    follow_all(client)
    first = ModuleCompleted.objects.get(account=antenna, module=INTRO.slug)
    follow_all(client)
    assert ModuleCompleted.objects.filter(account=antenna).count() == 1
    assert ModuleCompleted.objects.get().completed_at == first.completed_at
    assert LessonDone.objects.filter(account=antenna).count() == len(INTRO.lessons)
    assert "Hai completato questo modulo" in client.get(reverse("attention:online_module", args=[INTRO.slug])).content.decode()


def test_the_module_is_not_complete_while_a_lesson_is_missing(client, antenna):
    client.force_login(antenna)
    for lesson in INTRO.lessons[:-1]:
        client.post(lesson_url(lesson.number), {"answer": right(lesson)})
    assert not ModuleCompleted.objects.exists()


def test_a_new_antenna_is_offered_the_introduction_first_but_may_signal_at_once(client, antenna, neighbourhood):
    client.force_login(antenna)
    module_url = reverse("attention:online_module", args=[INTRO.slug])
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="introduction"' in home and module_url in home
    assert home.index('data-testid="introduction"') < home.index("Hai notato qualcuno che potrebbe avere bisogno?")
    form = client.get(reverse("attention:signal_create")).content.decode()
    assert module_url in form
    urgent = {"text": "Un signore a terra davanti al negozio", "neighbourhood": neighbourhood.pk, "urgency": Signal.Urgency.HIGH}
    assert client.post(reverse("attention:signal_create"), urgent).status_code == 302
    assert Signal.objects.filter(sent_by=antenna, urgency=Signal.Urgency.HIGH).exists()
    follow_all(client)
    assert 'data-testid="introduction"' not in client.get(reverse("attention:signal_create")).content.decode()
    assert 'data-testid="introduction"' not in client.get(reverse("home")).content.decode()


def test_the_training_page_lists_the_online_modules_with_what_is_done(client, antenna):
    client.force_login(antenna)
    follow_all(client)
    page = client.get(reverse("attention:modules")).content.decode()
    for module in online_modules():
        assert escape(module.title) in page
    assert "completato" in page


def test_coverage_counts_online_completions_and_hides_small_counts_outside_the_workers_scope(
    client, users, make_user, neighbourhood, other_neighbourhood
):
    for where in (neighbourhood, other_neighbourhood):
        account = make_user(Role.ANTENNA, [where])
        Antenna.objects.create(account=account, kind=Antenna.Kind.PHARMACY)
        ModuleCompleted.objects.create(account=account, module=INTRO.slug)
    Antenna.objects.create(account=make_user(Role.ANTENNA, [neighbourhood]), kind=Antenna.Kind.PHARMACY)  # not yet
    suspended = make_user(Role.ANTENNA, [neighbourhood])
    Antenna.objects.create(account=suspended, kind=Antenna.Kind.PHARMACY, active=False)
    ModuleCompleted.objects.create(account=suspended, module=INTRO.slug)
    pharmacy = list(Antenna.Kind).index(Antenna.Kind.PHARMACY)

    def pharmacies(user, module=INTRO.slug):
        return {n.name: str(cells[pharmacy]) for n, cells in online_completions(user, module)[1]}

    assert pharmacies(users[Role.COORDINATOR]) == {"Borgo Alto": "1", "Borgo Basso": "1"}
    assert pharmacies(users[Role.WORKER]) == {"Borgo Alto": "1", "Borgo Basso": "riservato"}
    assert pharmacies(users[Role.COORDINATOR], online_modules()[1].slug) == {"Borgo Alto": "0", "Borgo Basso": "0"}
    client.force_login(users[Role.WORKER])
    page = client.get(reverse("attention:coverage")).content.decode()
    assert f'data-testid="online-coverage-{INTRO.slug}"' in page and escape(INTRO.title) in page


def test_complete_lesson_is_the_one_place_completion_is_recorded(antenna):
    for lesson in INTRO.lessons:
        done = services.complete_lesson(antenna, INTRO, lesson.number)
    assert done is True
    assert services.complete_lesson(antenna, INTRO, 1) is True
    assert ModuleCompleted.objects.count() == 1
