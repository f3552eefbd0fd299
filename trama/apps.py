from django.apps import AppConfig


class TramaConfig(AppConfig):
    name = "trama"
    label = "trama"
    verbose_name = "Trama"
