"""IgG pharmacokinetics (Cheng et al. 2025 population model; docs/reference/pharmacokinetics.md s9).

Modules: model (parameters, covariates, variability, residual error; no numpy), doses (dose histories,
SC absorption settings), simulate (closed-form superposition), fit (Bayesian MAP and bands), regimen
(dose for a target trough, rounded to vials), records (CSV of doses and levels). Import them directly:
this package imports nothing, so `model` stays light for the command line.
"""
