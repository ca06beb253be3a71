package org.icmlora.experiments.bench;

import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where PyTorch spends its time: the self time of every operator (its duration less that of the operators it
 * called) from a trace of PyTorch's profiler, summed by operator name, and the time of each convolution by the shapes
 * of its input and weight, forward and backward apart.
 *
 * @param operators self time in microseconds and calls by operator name, largest first
 * @param convolutions forward and backward time of each convolution shape, in order of first appearance
 * @param totalMicros  the sum of all self times (the time spent inside PyTorch)
 */
public record OperatorProfile(List<Operator> operators, List<Convolution> convolutions, double totalMicros) {

    /** One operator: self time over all calls. */
    public record Operator(String name, double micros, int calls) {}

    /**
     * One convolution shape: {@code input} and {@code weight} as {@code [B, C, L]} and {@code [out, in, K]} (PyTorch
     * runs a 1-D convolution as a 2-D one of height 1, which is squeezed here), its output length when a backward pass
     * recorded it (else -1), and the summed time of its forward and its backward (both gradients) calls.
     */
    public record Convolution(List<Long> input, List<Long> weight, long outputLength, double forwardMicros,
            double backwardMicros, int calls) {

        /** Multiply-adds of one forward call, or -1 when the output length is unknown. */
        public long multiplyAdds() {
            return outputLength < 0 ? -1 : input.get(0) * weight.get(0) * weight.get(1) * weight.get(2) * outputLength;
        }
    }

    /** Runs {@code work} under PyTorch's profiler (shapes recorded) and reads the trace back. */
    public static OperatorProfile record(Runnable work) {
        try {
            Path trace = Files.createTempFile("icmlora-profile", ".json");
            try {
                JniUtils.startProfile(false, true, false);
                try {
                    work.run();
                } finally {
                    JniUtils.stopProfile(trace.toString());
                }
                return parse(Files.readString(trace));
            } finally {
                Files.deleteIfExists(trace);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write or read the profiler's trace", e);
        }
    }

    /** The profile of a Chrome-trace JSON array as PyTorch's profiler writes it (complete events, "ph": "X"). */
    public static OperatorProfile parse(String traceJson) {
        JsonElement root = JsonParser.parseString(traceJson);
        JsonArray array = root.isJsonArray() ? root.getAsJsonArray()
                : root.getAsJsonObject().getAsJsonArray("traceEvents");
        List<Event> events = new ArrayList<>();
        for (JsonElement element : array) {
            JsonObject e = element.getAsJsonObject();
            if (e.has("ph") && "X".equals(e.get("ph").getAsString())) {
                events.add(new Event(e.get("name").getAsString(), String.valueOf(e.get("tid")),
                        e.get("ts").getAsDouble(), e.get("dur").getAsDouble(), shapes(e.get("shape"))));
            }
        }
        events.sort(Comparator.comparing(Event::thread).thenComparingDouble(Event::start)
                .thenComparing(Comparator.comparingDouble(Event::duration).reversed()));
        Deque<Event> open = new ArrayDeque<>();
        for (Event e : events) {
            while (!open.isEmpty() && (!open.peek().thread.equals(e.thread) || open.peek().end() <= e.start)) {
                open.pop();
            }
            if (!open.isEmpty()) {
                open.peek().self -= e.duration;
            }
            open.push(e);
        }
        Map<String, double[]> byName = new LinkedHashMap<>();
        Map<String, ConvolutionSums> byShape = new LinkedHashMap<>();
        double total = 0;
        for (Event e : events) {
            double[] sums = byName.computeIfAbsent(e.name, k -> new double[2]);
            sums[0] += e.self;
            sums[1]++;
            total += e.self;
            // inclusive times: a convolution's work is in the operators it calls
            if (e.name.equals("aten::_convolution") && e.shapes.size() >= 2) {
                byShape.computeIfAbsent(key(e.shapes.get(0), e.shapes.get(1)), k -> new ConvolutionSums(e.shapes))
                        .addForward(e.duration);
            } else if (e.name.equals("aten::convolution_backward") && e.shapes.size() >= 3) {
                byShape.computeIfAbsent(key(e.shapes.get(1), e.shapes.get(2)),
                        k -> new ConvolutionSums(e.shapes.subList(1, 3))).addBackward(e.duration, e.shapes.get(0));
            }
        }
        List<Operator> operators = new ArrayList<>();
        byName.forEach((name, sums) -> operators.add(new Operator(name, sums[0], (int) sums[1])));
        operators.sort(Comparator.comparingDouble(Operator::micros).reversed());
        return new OperatorProfile(operators, byShape.values().stream().map(ConvolutionSums::result).toList(), total);
    }

    private static String key(List<Long> input, List<Long> weight) {
        return squeeze(input) + " " + squeeze(weight);
    }

    /** A 4-D shape of a 1-D convolution run as 2-D ({@code [a, b, 1, c]}) as {@code [a, b, c]}; others unchanged. */
    private static List<Long> squeeze(List<Long> shape) {
        if (shape.size() == 4 && shape.get(2) == 1) {
            return List.of(shape.get(0), shape.get(1), shape.get(3));
        }
        return shape;
    }

    private static List<List<Long>> shapes(JsonElement element) {
        List<List<Long>> result = new ArrayList<>();
        if (element != null && element.isJsonArray()) {
            for (JsonElement shape : element.getAsJsonArray()) {
                List<Long> dims = new ArrayList<>();
                if (shape.isJsonArray()) {
                    shape.getAsJsonArray().forEach(d -> dims.add(d.getAsLong()));
                }
                result.add(dims);
            }
        }
        return result;
    }

    /** Running sums of one convolution shape. */
    private static final class ConvolutionSums {
        final List<Long> input;
        final List<Long> weight;
        long outputLength = -1;
        double forward;
        double backward;
        int calls;

        ConvolutionSums(List<List<Long>> inputAndWeight) {
            input = squeeze(inputAndWeight.get(0));
            weight = squeeze(inputAndWeight.get(1));
        }

        void addForward(double micros) {
            forward += micros;
            calls++;
        }

        void addBackward(double micros, List<Long> outputGradient) {
            backward += micros;
            List<Long> output = squeeze(outputGradient);
            outputLength = output.get(output.size() - 1);
        }

        Convolution result() {
            return new Convolution(input, weight, outputLength, forward, backward, calls);
        }
    }

    /** A complete event; {@code self} starts at the duration and loses each direct child's duration. */
    private static final class Event {
        final String name;
        final String thread;
        final double start;
        final double duration;
        final List<List<Long>> shapes;
        double self;

        Event(String name, String thread, double start, double duration, List<List<Long>> shapes) {
            this.name = name;
            this.thread = thread;
            this.start = start;
            this.duration = duration;
            this.shapes = shapes;
            this.self = duration;
        }

        String thread() {
            return thread;
        }

        double start() {
            return start;
        }

        double duration() {
            return duration;
        }

        double end() {
            return start + duration;
        }
    }
}
