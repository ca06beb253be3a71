package org.icmlora.display;

/**
 * Sends HTML to the notebook cell that is running. The default sends to the Java kernel the kit runs on
 * (rapaio-jupyter-kernel), found at run time so the library does not depend on the kernel's jar.
 */
@FunctionalInterface
public interface NotebookOutput {

    /** Shows {@code html} as a {@code text/html} output of the running cell. */
    void html(String html);

    /** The output of the rapaio Jupyter kernel running this JVM; fails clearly when called outside that kernel. */
    static NotebookOutput kernel() {
        return html -> {
            try {
                Class<?> global = Class.forName("org.rapaio.jupyter.kernel.global.Global");
                global.getMethod("display", String.class, Object.class).invoke(null, "text/html", html);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("show(...) displays in a notebook of the kit's Java kernel "
                        + "(rapaio-jupyter-kernel, see environment/setup.sh); it is not running here", e);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("the Java kernel refused the display: " + e, e);
            }
        };
    }
}
