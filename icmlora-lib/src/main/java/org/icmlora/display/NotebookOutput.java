package org.icmlora.display;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Sends HTML to the notebook cell that is running. The default sends it through the display API of JJava, the Java
 * kernel the kit runs on (IJava's maintained continuation), found at run time so the library does not depend on
 * the kernel's jar.
 */
@FunctionalInterface
public interface NotebookOutput {

    /** Shows {@code html} as a {@code text/html} output of the running cell. */
    void html(String html);

    /**
     * The display of the JJava kernel running this JVM: a {@code DisplayData} holding the HTML, handed to
     * {@code BaseKernel.notebookKernel().display(...)} (what JJava's own {@code display(...)} does). Fails clearly
     * when called outside that kernel.
     */
    static NotebookOutput kernel() {
        return html -> {
            try {
                Class<?> kernelType = Class.forName("org.dflib.jjava.jupyter.kernel.BaseKernel");
                Class<?> dataType = Class.forName("org.dflib.jjava.jupyter.kernel.display.DisplayData");
                Object kernel = kernelType.getMethod("notebookKernel").invoke(null);
                Object data = dataType.getConstructor().newInstance();
                dataType.getMethod("putHTML", String.class).invoke(data, html);
                Method display = kernelType.getMethod("display", dataType);
                display.invoke(kernel, data);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("show(...) displays in a notebook on the JJava Java kernel (the kit's "
                        + "kernelspec from environment/setup.sh); no such kernel runs this code", e);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("the Java kernel refused the display: " + e.getCause(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("the Java kernel refused the display: " + e, e);
            }
        };
    }
}
