import { z } from "zod";
import { fitGaussianNb, predictProbaGaussianNb, type GaussianNbState } from "../naive-bayes";
import { varSmoothing } from "./params";
import { defineModel } from "./types";

export const gaussianNbModel = defineModel({
  id: "gaussian-nb",
  title: "Gaussian naive Bayes",
  description: "Per-class normal distributions of each feature, as scikit-learn's GaussianNB.",
  tasks: ["classification"],
  params: z.object({ varSmoothing }),
  constantColumns: "ok",
  defaultSpace: [{ param: "varSmoothing", type: "log-float", low: 1e-12, high: 1e-2 }],
  fit: (X, y, ctx): GaussianNbState =>
    fitGaussianNb(X, y as Int32Array, ctx.nClasses, { varSmoothing: ctx.params.varSmoothing, featureNames: ctx.featureNames }),
  predict: (state, X) => predictProbaGaussianNb(state, X),
});
