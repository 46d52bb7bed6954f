import { z } from "zod";
import { fitLinearRegression, predictLinear, type LinearModelState } from "../linear-regression";
import { fitIntercept } from "./params";
import { defineModel } from "./types";

export const linearRegressionModel = defineModel({
  id: "linear-regression",
  title: "Linear regression",
  description: "Ordinary least squares (normal equations, Cholesky), as scikit-learn's LinearRegression; collinear columns are an error.",
  tasks: ["regression"],
  params: z.object({ fitIntercept }),
  constantColumns: "warn",
  defaultSpace: [{ param: "fitIntercept", type: "choice", values: [true, false] }],
  fit: (X, y, ctx): LinearModelState =>
    fitLinearRegression(X, y as Float64Array, { alpha: 0, fitIntercept: ctx.params.fitIntercept, featureNames: ctx.featureNames }),
  predict: (state, X) => predictLinear(state, X),
});
