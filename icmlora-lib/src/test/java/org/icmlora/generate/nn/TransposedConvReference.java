package org.icmlora.generate.nn;

/**
 * Direct loops for a 1-D transposed convolution and its gradients: the ground truth the polyphase block is checked
 * against. Arrays are row-major {@code x [B, in, L]}, {@code w [in, out, K]}, {@code y [B, out, Lout]}.
 */
final class TransposedConvReference {

    private TransposedConvReference() {}

    static float[] forward(float[] x, float[] w, float[] b, int batch, int in, int out, int length, int k, int stride,
            int padding, int outputPadding) {
        int outLength = TransposedConv1d.outputLength(length, k, stride, padding, outputPadding);
        double[] y = new double[batch * out * outLength];
        for (int n = 0; n < batch; n++) {
            for (int co = 0; co < out; co++) {
                for (int t = 0; t < outLength; t++) {
                    y[(n * out + co) * outLength + t] = b == null ? 0 : b[co];
                }
            }
            for (int ci = 0; ci < in; ci++) {
                for (int i = 0; i < length; i++) {
                    for (int co = 0; co < out; co++) {
                        for (int j = 0; j < k; j++) {
                            int t = i * stride + j - padding;
                            if (t >= 0 && t < outLength) {
                                y[(n * out + co) * outLength + t] +=
                                        (double) x[(n * in + ci) * length + i] * w[(ci * out + co) * k + j];
                            }
                        }
                    }
                }
            }
        }
        return toFloat(y);
    }

    /** dL/dx for L = sum(y * upstream). */
    static float[] inputGradient(float[] upstream, float[] w, int batch, int in, int out, int length, int k,
            int stride, int padding, int outLength) {
        double[] g = new double[batch * in * length];
        for (int n = 0; n < batch; n++) {
            for (int ci = 0; ci < in; ci++) {
                for (int i = 0; i < length; i++) {
                    double sum = 0;
                    for (int co = 0; co < out; co++) {
                        for (int j = 0; j < k; j++) {
                            int t = i * stride + j - padding;
                            if (t >= 0 && t < outLength) {
                                sum += (double) upstream[(n * out + co) * outLength + t] * w[(ci * out + co) * k + j];
                            }
                        }
                    }
                    g[(n * in + ci) * length + i] = sum;
                }
            }
        }
        return toFloat(g);
    }

    /** dL/dw for L = sum(y * upstream). */
    static float[] weightGradient(float[] upstream, float[] x, int batch, int in, int out, int length, int k,
            int stride, int padding, int outLength) {
        double[] g = new double[in * out * k];
        for (int ci = 0; ci < in; ci++) {
            for (int co = 0; co < out; co++) {
                for (int j = 0; j < k; j++) {
                    double sum = 0;
                    for (int n = 0; n < batch; n++) {
                        for (int i = 0; i < length; i++) {
                            int t = i * stride + j - padding;
                            if (t >= 0 && t < outLength) {
                                sum += (double) x[(n * in + ci) * length + i]
                                        * upstream[(n * out + co) * outLength + t];
                            }
                        }
                    }
                    g[(ci * out + co) * k + j] = sum;
                }
            }
        }
        return toFloat(g);
    }

    private static float[] toFloat(double[] values) {
        float[] result = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (float) values[i];
        }
        return result;
    }
}
