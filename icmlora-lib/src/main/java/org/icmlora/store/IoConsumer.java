package org.icmlora.store;

import java.io.IOException;

/** A consumer that may throw {@link IOException}, for code that writes a stream or fills a directory. */
@FunctionalInterface
public interface IoConsumer<T> {
    /** Accepts the value, writing whatever it writes. */
    void accept(T value) throws IOException;
}
