"""The demo: one centre, a user per role, 20 patients, stock, orders and a year of history (`load_demo`).

The top layer: it builds its rows through the apps' actions, and no app imports it.
"""
