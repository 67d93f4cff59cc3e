"""factory_boy factories for rows the tests write straight to the tables, one module per app.

Use a factory where a test needs a row as it is stored (a chair, a shift, a portal link, a report's history)
and no action is under test. Where the action's checks and audit events matter (an order signed, a lot
received, a session started), build through the action: the fixtures in tests/plugins and the flows in
tests/drivers do.
"""
