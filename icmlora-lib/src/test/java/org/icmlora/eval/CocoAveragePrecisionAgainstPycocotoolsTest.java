package org.icmlora.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.icmlora.data.scenes.Box;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kit's {@link CocoAveragePrecision} against pycocotools' {@code COCOeval} itself: random detection problems
 * (several images, 1-3 categories, tied scores, crowd and ignored boxes, images with more than 100 detections, empty
 * images, boxes that touch, IoUs exactly at 0.5 and 0.75) are scored by both, and AP50 and AP75 (the mean over
 * categories and each category's own) must agree to 1e-9. The reference runs in the project venv
 * ({@code src/test/python/coco_reference.py}, pycocotools from {@code environment/python/jupyter.txt}).
 */
class CocoAveragePrecisionAgainstPycocotoolsTest {

    private static final int PROBLEMS = 600;
    private static final long SEED = 20261201L;
    private static final double TOLERANCE = 1e-9;
    private static final int GRID = 64;

    record Truth(int image, int category, Box box, boolean crowd, boolean ignored) {}

    record Detection(int image, int category, Box box, double score) {}

    record Problem(List<Integer> images, List<Integer> categories, List<Truth> truths, List<Detection> detections) {}

    @TempDir
    Path dir;

    @Test
    void agreesWithCocoEvalOnRandomProblems() throws Exception {
        Random random = new Random(SEED);
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < PROBLEMS; i++) {
            problems.add(randomProblem(random));
        }
        assertCoversTheHardCases(problems);
        JsonArray answers = scoreWithCocoEval(problems);
        assertEquals(PROBLEMS, answers.size());

        double maxDifference = 0;
        int compared = 0;
        List<String> disagreements = new ArrayList<>();
        for (int p = 0; p < PROBLEMS; p++) {
            Problem problem = problems.get(p);
            JsonObject answer = answers.get(p).getAsJsonObject();
            List<Double> ap50 = new ArrayList<>();
            List<Double> ap75 = new ArrayList<>();
            for (int category : problem.categories()) {
                List<ImageDetections> images = imagesOf(problem, category);
                double[] kit = {CocoAveragePrecision.averagePrecision(images, 0.5),
                        CocoAveragePrecision.averagePrecision(images, 0.75)};
                ap50.add(kit[0]);
                ap75.add(kit[1]);
                JsonArray reference = answer.getAsJsonObject("perCategory").getAsJsonArray(Integer.toString(category));
                for (int t = 0; t < 2; t++) {
                    double difference = difference(kit[t], reference.get(t).getAsDouble());
                    maxDifference = Math.max(maxDifference, difference);
                    compared++;
                    if (difference > TOLERANCE) {
                        disagreements.add("problem " + p + " category " + category + " AP" + (t == 0 ? 50 : 75)
                                + ": kit " + kit[t] + ", COCOeval " + reference.get(t));
                    }
                }
            }
            double[] kitMeans = {CocoAveragePrecision.meanOverCategories(ap50),
                    CocoAveragePrecision.meanOverCategories(ap75)};
            double[] referenceMeans = {answer.get("ap50").getAsDouble(), answer.get("ap75").getAsDouble()};
            for (int t = 0; t < 2; t++) {
                double difference = difference(kitMeans[t], referenceMeans[t]);
                maxDifference = Math.max(maxDifference, difference);
                compared++;
                if (difference > TOLERANCE) {
                    disagreements.add("problem " + p + " mAP" + (t == 0 ? 50 : 75) + ": kit " + kitMeans[t]
                            + ", COCOeval " + referenceMeans[t]);
                }
            }
        }
        System.out.printf("COCOeval vs CocoAveragePrecision: %d problems, %d AP values compared, max |difference| "
                + "%.3g, %d disagreements%n", PROBLEMS, compared, maxDifference, disagreements.size());
        assertTrue(disagreements.isEmpty(), disagreements.size() + " disagreements, first: "
                + disagreements.subList(0, Math.min(10, disagreements.size())));
    }

    /** |kit - reference|, where the kit's NaN (no truth that counts) is COCOeval's -1. */
    private static double difference(double kit, double reference) {
        if (Double.isNaN(kit) || reference == -1) {
            return Double.isNaN(kit) && reference == -1 ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.abs(kit - reference);
    }

    /** One category's images in id order, each image's detections and truths in the order COCOeval receives them. */
    private static List<ImageDetections> imagesOf(Problem problem, int category) {
        List<ImageDetections> images = new ArrayList<>();
        for (int image : problem.images()) {
            images.add(new ImageDetections(
                    problem.detections().stream().filter(d -> d.image() == image && d.category() == category)
                            .map(d -> new ScoredBox(d.box(), d.score())).toList(),
                    problem.truths().stream().filter(t -> t.image() == image && t.category() == category)
                            .map(t -> new GroundTruthBox(t.box(), t.crowd(), t.ignored())).toList()));
        }
        return images;
    }

    // ---- random problems ------------------------------------------------------------------------------------------

    private static Problem randomProblem(Random random) {
        boolean onGrid = random.nextInt(3) > 0; // integer corners: exact arithmetic, so IoUs land exactly on 0.5/0.75
        boolean tiedScores = random.nextBoolean(); // ten distinct scores: many ties, broken by order as numpy does
        int imageCount = 1 + random.nextInt(6);
        int categoryCount = 1 + random.nextInt(3);
        int crowdedImage = random.nextInt(4) == 0 ? random.nextInt(imageCount) : -1; // > 100 detections there
        List<Integer> images = new ArrayList<>();
        List<Integer> categories = new ArrayList<>();
        for (int c = 0; c < categoryCount; c++) {
            categories.add(1 + 2 * c);
        }
        List<Truth> truths = new ArrayList<>();
        List<Detection> detections = new ArrayList<>();
        for (int i = 0; i < imageCount; i++) {
            int image = 10 + 7 * i;
            images.add(image);
            if (i != crowdedImage && random.nextInt(5) == 0) {
                continue; // an empty image: no truth, no detection
            }
            for (int category : categories) {
                List<Box> here = new ArrayList<>();
                for (int t = random.nextInt(6); t > 0; t--) {
                    Box box = randomBox(random, onGrid);
                    boolean crowd = random.nextInt(8) == 0;
                    truths.add(new Truth(image, category, box, crowd, !crowd && random.nextInt(8) == 0));
                    here.add(box);
                }
                int count = i == crowdedImage ? 101 + random.nextInt(60) : random.nextInt(12);
                for (int d = 0; d < count; d++) {
                    double score = tiedScores ? (1 + random.nextInt(10)) / 10.0 : random.nextDouble();
                    detections.add(new Detection(image, category, detectionBox(random, here, onGrid), score));
                }
            }
        }
        if (detections.isEmpty()) { // COCO.loadRes cannot take an empty result list
            detections.add(new Detection(images.get(0), categories.get(0), randomBox(random, onGrid), 0.5));
        }
        return new Problem(images, categories, truths, detections);
    }

    private static Box randomBox(Random random, boolean onGrid) {
        double x = onGrid ? random.nextInt(GRID) : random.nextDouble() * GRID;
        double y = onGrid ? random.nextInt(GRID) : random.nextDouble() * GRID;
        double w = onGrid ? 1 + random.nextInt(24) : 0.5 + random.nextDouble() * 24;
        double h = onGrid ? 1 + random.nextInt(24) : 0.5 + random.nextDouble() * 24;
        return new Box(x, y, x + w, y + h);
    }

    /** A detection near one of the image's truths (shifted, cut to IoU 0.5 or 0.75, touching it) or anywhere. */
    private static Box detectionBox(Random random, List<Box> truths, boolean onGrid) {
        if (truths.isEmpty() || random.nextInt(10) < 3) {
            return randomBox(random, onGrid);
        }
        Box t = truths.get(random.nextInt(truths.size()));
        return switch (random.nextInt(5)) {
            case 0 -> t; // exact
            case 1 -> new Box(t.x1(), t.y1(), t.x1() + t.width() / 2, t.y2()); // IoU 0.5
            case 2 -> new Box(t.x1(), t.y1(), t.x1() + t.width() * 3 / 4, t.y2()); // IoU 0.75
            case 3 -> new Box(t.x2(), t.y1(), t.x2() + t.width(), t.y2()); // touches its right edge: IoU 0
            default -> shifted(random, t, onGrid);
        };
    }

    private static Box shifted(Random random, Box t, boolean onGrid) {
        double[] c = {t.x1(), t.y1(), t.x2(), t.y2()};
        for (int k = 0; k < 4; k++) {
            c[k] += onGrid ? random.nextInt(7) - 3 : random.nextGaussian() * 2;
        }
        return new Box(Math.min(c[0], c[2]), Math.min(c[1], c[3]), Math.max(c[0], c[2]), Math.max(c[1], c[3]));
    }

    /** The generator really produces the cases the comparison is about. */
    private static void assertCoversTheHardCases(List<Problem> problems) {
        int crowd = 0;
        int ignored = 0;
        int over100 = 0;
        int emptyImages = 0;
        int tied = 0;
        int touching = 0;
        int atThreshold = 0;
        for (Problem p : problems) {
            crowd += (int) p.truths().stream().filter(Truth::crowd).count();
            ignored += (int) p.truths().stream().filter(Truth::ignored).count();
            tied += p.detections().size() - (int) p.detections().stream().mapToDouble(Detection::score).distinct()
                    .count();
            for (int image : p.images()) {
                long d = p.detections().stream().filter(x -> x.image() == image).count();
                long t = p.truths().stream().filter(x -> x.image() == image).count();
                over100 += p.categories().stream().anyMatch(c -> p.detections().stream()
                        .filter(x -> x.image() == image && x.category() == c).count() > 100) ? 1 : 0;
                emptyImages += d == 0 && t == 0 ? 1 : 0;
            }
            for (Detection d : p.detections()) {
                for (Truth t : p.truths()) {
                    if (t.image() == d.image() && t.category() == d.category()) {
                        double iou = d.box().iou(t.box());
                        atThreshold += iou == 0.5 || iou == 0.75 ? 1 : 0;
                        touching += iou == 0 && (d.box().x1() == t.box().x2() || d.box().x2() == t.box().x1()) ? 1 : 0;
                    }
                }
            }
        }
        String counts = "crowd " + crowd + ", ignored " + ignored + ", images with > 100 detections " + over100
                + ", empty images " + emptyImages + ", tied scores " + tied + ", touching pairs " + touching
                + ", IoU exactly 0.5 or 0.75 " + atThreshold;
        System.out.println("random problems hold: " + counts);
        assertTrue(crowd > 100 && ignored > 100 && over100 > 50 && emptyImages > 100 && tied > 1000
                && touching > 100 && atThreshold > 100, counts);
    }

    // ---- the reference --------------------------------------------------------------------------------------------

    private JsonArray scoreWithCocoEval(List<Problem> problems) throws Exception {
        Path root = Path.of(System.getProperty("icmlora.root", "..")).toAbsolutePath().normalize();
        Path python = root.resolve("environment/.installed/venv/bin/python");
        assertTrue(Files.isExecutable(python), "no project venv at " + python + " (pycocotools is the reference of "
                + "this test): run bash environment/setup.sh");
        Path script = root.resolve("icmlora-lib/src/test/python/coco_reference.py");
        Path in = dir.resolve("problems.json");
        Path out = dir.resolve("answers.json");
        Files.writeString(in, toJson(problems), StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(python.toString(), script.toString(), in.toString(), out.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("python.log").toFile()).start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("pycocotools reference still running after 10 minutes");
        }
        assertEquals(0, process.exitValue(), "pycocotools reference failed:\n"
                + Files.readString(dir.resolve("python.log")));
        return new Gson().fromJson(Files.readString(out), JsonArray.class);
    }

    private static String toJson(List<Problem> problems) {
        Gson gson = new Gson();
        JsonArray all = new JsonArray();
        for (Problem p : problems) {
            JsonObject problem = new JsonObject();
            problem.add("images", gson.toJsonTree(p.images()));
            problem.add("categories", gson.toJsonTree(p.categories()));
            JsonArray truths = new JsonArray();
            for (Truth t : p.truths()) {
                JsonObject truth = located(t.image(), t.category(), t.box());
                truth.addProperty("crowd", t.crowd());
                truth.addProperty("ignored", t.ignored());
                truths.add(truth);
            }
            problem.add("truths", truths);
            JsonArray detections = new JsonArray();
            for (Detection d : p.detections()) {
                JsonObject detection = located(d.image(), d.category(), d.box());
                detection.addProperty("score", d.score());
                detections.add(detection);
            }
            problem.add("detections", detections);
            all.add(problem);
        }
        return all.toString();
    }

    /** Image, category and the box as COCO writes it: x, y, width, height. */
    private static JsonObject located(int image, int category, Box box) {
        JsonObject o = new JsonObject();
        o.addProperty("image", image);
        o.addProperty("category", category);
        JsonArray bbox = new JsonArray();
        for (double v : new double[] {box.x1(), box.y1(), box.width(), box.height()}) {
            bbox.add(v);
        }
        o.add("bbox", bbox);
        return o;
    }
}
