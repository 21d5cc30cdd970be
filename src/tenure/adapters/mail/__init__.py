"""E-mail adapters: the template composer (``compose``: de, en, zh), SMTP delivery (``smtp``) and
the ``.eml`` folder of the embedded default (``files``). The port they implement is
:mod:`tenure.services.mail`. Import the modules themselves: this package imports nothing, so a
command that only needs the folder does not load Jinja2 and the message catalogs."""
