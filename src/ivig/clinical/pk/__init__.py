"""IgG pharmacokinetics: the population model, closed-form simulation, MAP fitting, dose suggestion.

Imports numpy (and scipy inside `fit_map`); the rest of the clinical core does not need them.
"""

from __future__ import annotations

from ivig.clinical.pk.doses import (
    DEFAULT_KA_PER_DAY,
    SC_BIOAVAILABILITY,
    Dose,
    DoseSchedule,
    PkInputError,
    ScAbsorption,
    regimen_doses,
    schedule_doses,
)
from ivig.clinical.pk.fit import Band, FitResult, Level, fit_map, half_life_interval_days, predict_band
from ivig.clinical.pk.model import Covariates, Deficiency, PkParameters, typical_parameters
from ivig.clinical.pk.records import PkCsvError, PkRecords, parse_pk_csv
from ivig.clinical.pk.regimen import RegimenSuggestion, steady_state_trough_g_per_l, suggest_regimen
from ivig.clinical.pk.simulate import ParameterArrays, concentration_at, population_grid, steady_state

__all__ = [
    "DEFAULT_KA_PER_DAY",
    "SC_BIOAVAILABILITY",
    "Band",
    "Covariates",
    "Deficiency",
    "Dose",
    "DoseSchedule",
    "FitResult",
    "Level",
    "ParameterArrays",
    "PkCsvError",
    "PkInputError",
    "PkParameters",
    "PkRecords",
    "RegimenSuggestion",
    "ScAbsorption",
    "concentration_at",
    "fit_map",
    "half_life_interval_days",
    "parse_pk_csv",
    "population_grid",
    "predict_band",
    "regimen_doses",
    "schedule_doses",
    "steady_state",
    "steady_state_trough_g_per_l",
    "suggest_regimen",
    "typical_parameters",
]
