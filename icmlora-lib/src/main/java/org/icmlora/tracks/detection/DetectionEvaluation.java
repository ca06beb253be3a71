package org.icmlora.tracks.detection;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.icmlora.data.scenes.Box;
import org.icmlora.data.scenes.Garment;
import org.icmlora.eval.RankedDetections;
import org.icmlora.eval.GroundTruthBox;
import org.icmlora.eval.ImageDetections;
import org.icmlora.eval.ScoredBox;
import org.icmlora.tracks.Evaluation;

/**
 * One detector (the base model, or the base model with an adapter) on a category's test scenes: per scene, the
 * detections it made and the ground truth, so COCO mAP50 and mAP75 can be computed over any resample of the scenes
 * (matched once, then rescored in one pass per resample: {@link RankedDetections}).
 */
public final class DetectionEvaluation implements Evaluation {

    /**
     * One test scene.
     *
     * @param scene       its index in the category's test split (its picture can be composed again from it)
     * @param detections  what the detector found, with confidences
     * @param groundTruth the boxes of the prompted garment
     */
    public record Image(int scene, List<ScoredBox> detections, List<Box> groundTruth) {}

    private final Garment category;
    private final List<Image> images;
    private final RankedDetections at50;
    private final RankedDetections at75;

    /** The results of every test scene of {@code category}, scene 0 first. */
    public DetectionEvaluation(Garment category, List<Image> images) {
        this.category = category;
        this.images = List.copyOf(images);
        List<ImageDetections> all = this.images.stream().map(image -> new ImageDetections(image.detections(),
                image.groundTruth().stream().map(GroundTruthBox::of).toList())).toList();
        this.at50 = RankedDetections.of(all, 0.5);
        this.at75 = RankedDetections.of(all, 0.75);
    }

    /** The prompted garment. */
    public Garment category() {
        return category;
    }

    /** Every test scene's result, scene 0 first. */
    public List<Image> images() {
        return images;
    }

    @Override
    public int items() {
        return images.size();
    }

    @Override
    public Map<String, Double> metrics(int[] indices) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("map50", metric("map50", indices));
        metrics.put("map75", metric("map75", indices));
        return metrics;
    }

    @Override
    public double metric(String name, int[] indices) {
        RankedDetections ranked = switch (name) {
            case "map50" -> at50;
            case "map75" -> at75;
            default -> throw new IllegalArgumentException("no metric '" + name + "'; detection has map50, map75");
        };
        int[] weights = new int[images.size()];
        for (int i : indices) {
            weights[i]++;
        }
        return ranked.averagePrecision(weights);
    }

    @Override
    public JsonElement toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("category", category.id());
        JsonArray list = new JsonArray();
        for (Image image : images) {
            JsonObject item = new JsonObject();
            item.addProperty("scene", image.scene());
            JsonArray detections = new JsonArray();
            image.detections().forEach(d -> detections.add(boxJson(d.box(), d.score())));
            item.add("detections", detections);
            JsonArray truth = new JsonArray();
            image.groundTruth().forEach(b -> truth.add(boxJson(b, Double.NaN)));
            item.add("truth", truth);
            list.add(item);
        }
        json.add("images", list);
        return json;
    }

    /** Reads {@link #toJson()}. */
    public static DetectionEvaluation fromJson(JsonElement element) {
        JsonObject json = element.getAsJsonObject();
        List<Image> images = new ArrayList<>();
        for (JsonElement e : json.getAsJsonArray("images")) {
            JsonObject item = e.getAsJsonObject();
            List<ScoredBox> detections = new ArrayList<>();
            for (JsonElement d : item.getAsJsonArray("detections")) {
                JsonArray a = d.getAsJsonArray();
                detections.add(new ScoredBox(box(a), a.get(4).getAsDouble()));
            }
            List<Box> truth = new ArrayList<>();
            item.getAsJsonArray("truth").forEach(t -> truth.add(box(t.getAsJsonArray())));
            images.add(new Image(item.get("scene").getAsInt(), detections, truth));
        }
        return new DetectionEvaluation(Garment.parse(json.get("category").getAsString()), images);
    }

    private static JsonArray boxJson(Box box, double score) {
        JsonArray a = new JsonArray();
        a.add(box.x1());
        a.add(box.y1());
        a.add(box.x2());
        a.add(box.y2());
        if (!Double.isNaN(score)) {
            a.add(score);
        }
        return a;
    }

    private static Box box(JsonArray a) {
        return new Box(a.get(0).getAsDouble(), a.get(1).getAsDouble(), a.get(2).getAsDouble(), a.get(3).getAsDouble());
    }
}
