"""The repositories of the unit of work: one small interface per stored thing, each with the
value types it stores."""
