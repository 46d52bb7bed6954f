import { z } from "zod";
import { availableParallelism } from "node:os";
import { fitLogisticRegressionThreaded, predictProbaLogistic, type LogisticModelState } from "../logistic-regression";
import { KERNELS } from "../kernels";
import { C, fitIntercept, maxIter } from "./params";
import { defineModel } from "./types";

export const logisticRegressionModel = defineModel({
  id: "logistic-regression",
  title: "Logistic regression",
  description: "Multinomial logistic regression with an L2 penalty (L-BFGS), as scikit-learn's LogisticRegression.",
  tasks: ["classification"],
  params: z.object({ C, maxIter, fitIntercept }),
  constantColumns: "warn",
  kernelThreads: [KERNELS.logisticRegression],
  defaultSpace: [{ param: "C", type: "log-float", low: 1e-3, high: 1e3 }],
  async fit(X, y, ctx): Promise<LogisticModelState> {
    const threads = ctx.threads ?? availableParallelism();
    const fitted = await fitLogisticRegressionThreaded(X, y as Int32Array, ctx.nClasses, {
      C: ctx.params.C,
      maxIter: ctx.params.maxIter,
      fitIntercept: ctx.params.fitIntercept,
      classNames: ctx.classNames,
      featureNames: ctx.featureNames,
    }, threads);
    if (!fitted.converged) {
      ctx.warn?.(
        `Logistic regression did not converge in ${fitted.iterations} iterations. Raise "maximum iterations", or scale the features with an Encode/Scale node.`,
      );
    } else ctx.log?.(`Converged in ${fitted.iterations} iterations.`);
    return fitted;
  },
  predict: (state, X) => predictProbaLogistic(state, X),
});
