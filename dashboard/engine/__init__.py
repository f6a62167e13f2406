"""The indicator engine: one way to compute any catalogue indicator from the store.

Public entry point: dashboard.engine.figures.indicator_table(), which returns figures that have
passed the disclosure gate. The per-source modules compute raw counts; nothing outside this
package sees a figure before the gate.
"""
