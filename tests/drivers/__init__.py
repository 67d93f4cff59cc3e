"""Drivers for flows the tests repeat: each runs a multi-step sequence the way a user or the app does.

Plain functions and small classes, no fixtures: a test still states what it checks; a driver only saves it
repeating how to get there. Builders that go through actions stay fixtures in tests/plugins; rows written
straight to the tables come from tests/factories.
"""
