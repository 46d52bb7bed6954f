import { z } from "zod";
import { fitMultinomialNb, predictProbaMultinomialNb, type MultinomialNbState } from "../naive-bayes";
import { smoothingAlpha } from "./params";
import { defineModel } from "./types";

export const multinomialNbModel = defineModel({
  id: "multinomial-nb",
  title: "Multinomial naive Bayes",
  description: "For counts and word frequencies (Vectorize text output), as scikit-learn's MultinomialNB. Features must be >= 0.",
  tasks: ["classification"],
  params: z.object({ smoothingAlpha }),
  constantColumns: "ok",
  defaultSpace: [{ param: "smoothingAlpha", type: "log-float", low: 1e-3, high: 10 }],
  fit: (X, y, ctx): MultinomialNbState =>
    fitMultinomialNb(X, y as Int32Array, ctx.nClasses, { alpha: ctx.params.smoothingAlpha, featureNames: ctx.featureNames }),
  predict: (state, X) => predictProbaMultinomialNb(state, X),
});
