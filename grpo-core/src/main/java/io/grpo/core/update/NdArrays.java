package io.grpo.core.update;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Copies between ND4J arrays and plain Java arrays. */
public final class NdArrays {
    private NdArrays() {}

    /** The array's elements in row-major order as doubles, whatever its view layout. */
    public static double[] rowMajor(INDArray a) {
        // Reading the buffer straight into a Java array avoids a native allocation, which
        // costs more than the copy for the small arrays used here.
        INDArray c = isDense(a) ? a : a.dup('c');
        return c.data().asDouble();
    }

    private static boolean isDense(INDArray a) {
        return !a.isView() && a.ordering() == 'c' && a.data().length() == a.length() && a.offset() == 0;
    }

    /** A new row-major array of the given type holding {@code values}, shaped {@code rows x cols}. */
    public static INDArray create(double[] values, long rows, long cols, DataType type) {
        if (type == DataType.FLOAT) {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
            return Nd4j.create(f, new long[]{rows, cols}, 'c');
        }
        INDArray d = Nd4j.create(values, new long[]{rows, cols}, 'c');
        return type == DataType.DOUBLE ? d : d.castTo(type);
    }

    /** Row-major floats, as {@link #rowMajor} for doubles. */
    public static float[] rowMajorFloat(INDArray a) {
        INDArray c = isDense(a) ? a : a.dup('c');
        return c.data().asFloat();
    }
}
