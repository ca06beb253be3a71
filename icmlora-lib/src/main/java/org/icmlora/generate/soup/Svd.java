package org.icmlora.generate.soup;

/**
 * Thin singular value decomposition of a small dense matrix by one-sided Jacobi rotations (Hestenes): columns are
 * rotated pairwise until all are orthogonal; their norms are then the singular values. Accurate to working precision
 * (double) and simple enough to read; cost about {@code 10 * m * n^2} for an m x n matrix with m >= n, fine for the
 * adapter-sized layers of the kit's models.
 *
 * @param u     left singular vectors as columns, {@code u[row][k]}
 * @param sigma singular values, decreasing
 * @param v     right singular vectors as columns, {@code v[col][k]}
 */
public record Svd(double[][] u, double[] sigma, double[][] v) {

    private static final int MAX_SWEEPS = 60;
    private static final double TOLERANCE = 1e-15;

    /** Decomposes {@code matrix} ({@code rows x cols}, row-major {@code matrix[row][col]}). */
    public static Svd of(double[][] matrix) {
        int rows = matrix.length;
        int cols = matrix[0].length;
        if (rows < cols) {
            Svd t = of(transpose(matrix));
            return new Svd(t.v, t.sigma, t.u);
        }
        double[][] a = transpose(matrix); // a[k] is column k
        double[][] w = identity(cols);     // w[k] is column k of V
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < cols - 1; p++) {
                for (int q = p + 1; q < cols; q++) {
                    double alpha = dot(a[p], a[p]);
                    double beta = dot(a[q], a[q]);
                    double gamma = dot(a[p], a[q]);
                    if (Math.abs(gamma) <= TOLERANCE * Math.sqrt(alpha * beta) || gamma == 0) {
                        continue;
                    }
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    if (zeta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(1 + t * t);
                    double s = c * t;
                    rotate(a[p], a[q], c, s);
                    rotate(w[p], w[q], c, s);
                }
            }
            if (!rotated) {
                break;
            }
        }
        Integer[] order = new Integer[cols];
        double[] norms = new double[cols];
        for (int k = 0; k < cols; k++) {
            order[k] = k;
            norms[k] = Math.sqrt(dot(a[k], a[k]));
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(norms[y], norms[x]));
        double[][] u = new double[rows][cols];
        double[][] v = new double[cols][cols];
        double[] sigma = new double[cols];
        for (int k = 0; k < cols; k++) {
            int src = order[k];
            sigma[k] = norms[src];
            for (int i = 0; i < rows; i++) {
                u[i][k] = sigma[k] == 0 ? 0 : a[src][i] / sigma[k];
            }
            for (int j = 0; j < cols; j++) {
                v[j][k] = w[src][j];
            }
        }
        return new Svd(u, sigma, v);
    }

    /** Relative Frobenius error of keeping the first {@code rank} singular triplets: sqrt(sum of the rest^2 / all^2). */
    public double truncationError(int rank) {
        double kept = 0;
        double total = 0;
        for (int k = 0; k < sigma.length; k++) {
            total += sigma[k] * sigma[k];
            if (k >= rank) {
                kept += sigma[k] * sigma[k];
            }
        }
        return total == 0 ? 0 : Math.sqrt(kept / total);
    }

    private static void rotate(double[] x, double[] y, double c, double s) {
        for (int i = 0; i < x.length; i++) {
            double xi = x[i];
            double yi = y[i];
            x[i] = c * xi - s * yi;
            y[i] = s * xi + c * yi;
        }
    }

    private static double dot(double[] x, double[] y) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += x[i] * y[i];
        }
        return sum;
    }

    private static double[][] transpose(double[][] m) {
        double[][] t = new double[m[0].length][m.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[0].length; j++) {
                t[j][i] = m[i][j];
            }
        }
        return t;
    }

    private static double[][] identity(int n) {
        double[][] id = new double[n][n];
        for (int i = 0; i < n; i++) {
            id[i][i] = 1;
        }
        return id;
    }
}
