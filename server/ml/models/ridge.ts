import { z } from "zod";
import { fitLinearRegression, predictLinear, type LinearModelState } from "../linear-regression";
import { alpha, fitIntercept } from "./params";
import { defineModel } from "./types";

export const ridgeModel = defineModel({
  id: "ridge",
  title: "Ridge regression",
  description: "Least squares with an L2 penalty alpha on the coefficients (intercept unpenalised), as scikit-learn's Ridge.",
  tasks: ["regression"],
  params: z.object({ alpha, fitIntercept }),
  constantColumns: "warn",
  defaultSpace: [{ param: "alpha", type: "log-float", low: 1e-3, high: 1e3 }],
  fit: (X, y, ctx): LinearModelState =>
    fitLinearRegression(X, y as Float64Array, { alpha: ctx.params.alpha, fitIntercept: ctx.params.fitIntercept, featureNames: ctx.featureNames }),
  predict: (state, X) => predictLinear(state, X),
});
