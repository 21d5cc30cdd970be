"""One repository class per stored thing (see :mod:`tenure.services.repositories`), all on the
connection of their unit of work (:class:`tenure.adapters.sql.session.Session`)."""
