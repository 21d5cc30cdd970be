"""The repositories of the unit of work: one small interface per stored thing, each with the
value types it stores. A unit of work (:mod:`tenure.services.unit_of_work`) hangs them off its
attributes, ``uow.contracts``, ``uow.documents`` and so on; adapters implement them (in memory:
:mod:`tenure.adapters.memory`, SQL: :mod:`tenure.adapters.sql.repositories`)."""
