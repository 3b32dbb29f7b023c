package io.grpo.core.update;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Copies between ND4J arrays and plain Java arrays. */
public final class NdArrays {
    private NdArrays() {}

    /** The array's elements in row-major order as doubles, whatever its view layout. */
    public static double[] rowMajor(INDArray a) {
        INDArray d = a.dataType() == DataType.DOUBLE ? a : a.castTo(DataType.DOUBLE);
        if (d.isView() || d.ordering() != 'c' || d.data().length() != d.length()) d = d.dup('c');
        return d.data().asDouble();
    }

    /** Row-major floats, as {@link #rowMajor} for doubles. */
    public static float[] rowMajorFloat(INDArray a) {
        INDArray f = a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
        if (f.isView() || f.ordering() != 'c' || f.data().length() != f.length()) f = f.dup('c');
        return f.data().asFloat();
    }
}
