"""Funnel health: the closed loop measured from a CRM's stage history, in SQL run by DuckDB.

One module per idea: history (reading the files), stays (visits to stages),
worktime (business calendars as a table), sla (compliance, velocity, open
breaches), measures; the `leadspec funnel` command only formats their results.
"""
