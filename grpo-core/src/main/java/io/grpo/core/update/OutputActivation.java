package io.grpo.core.update;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The output-layer activation as the custom losses see it. The heads are linear in
 * practice, so the identity skips the copies a general activation needs.
 */
final class OutputActivation {
    private OutputActivation() {}

    /** Activated outputs, row-major. */
    static double[] apply(INDArray preOutput, IActivation fn) {
        return NdArrays.rowMajor(fn instanceof ActivationIdentity ? preOutput : fn.getActivation(preOutput.dup(), true));
    }

    /** dL/dpreOutput from dL/doutput. */
    static INDArray backprop(INDArray preOutput, IActivation fn, INDArray dLdOutput) {
        return fn instanceof ActivationIdentity ? dLdOutput : fn.backprop(preOutput.dup(), dLdOutput).getFirst();
    }
}
