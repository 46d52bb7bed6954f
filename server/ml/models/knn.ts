import { z } from "zod";
import { fitKnn, predictKnn, type KnnState } from "../knn";
import { nNeighbors, weights } from "./params";
import { defineModel } from "./types";

export const knnModel = defineModel({
  id: "knn",
  title: "k-nearest neighbours",
  description: "Predicts from the k closest training rows (Euclidean distance), as scikit-learn's KNeighborsClassifier/Regressor. Scale the features first.",
  tasks: ["classification", "regression"],
  params: z.object({ nNeighbors, weights }),
  constantColumns: "ok",
  defaultSpace: [
    { param: "nNeighbors", type: "int", low: 1, high: 30 },
    { param: "weights", type: "choice", values: ["uniform", "distance"] },
  ],
  fit: (X, y, ctx): KnnState =>
    fitKnn(X, y, ctx.task, ctx.task === "classification" ? ctx.nClasses : null, {
      nNeighbors: ctx.params.nNeighbors,
      weights: ctx.params.weights,
      featureNames: ctx.featureNames,
    }),
  predict: (state, X) => predictKnn(state, X),
});
