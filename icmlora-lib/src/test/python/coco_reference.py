"""Scores detection problems with pycocotools' COCOeval, the reference the kit's CocoAveragePrecision follows.

    python coco_reference.py PROBLEMS.json ANSWERS.json

PROBLEMS.json (written by CocoAveragePrecisionAgainstPycocotoolsTest) is a list of problems, each
{"images": [image ids], "categories": [category ids], "truths": [...], "detections": [...]} with truths
{"image", "category", "bbox": [x, y, w, h], "crowd": bool, "ignored": bool} and detections
{"image", "category", "bbox", "score"}, in the order the kit sees them. An ignored, non-crowd truth gets an area
outside COCO's range "all" ([0, 1e10]), which is how COCOeval comes to ignore such a box. ANSWERS.json receives, per
problem, COCOeval's own summary AP50 and AP75 (bbox, area "all", maxDets 100; -1 when no category has a truth that
counts) and the per-category AP at IoU 0.50 and 0.75 from its precision array (-1 likewise).
"""
import contextlib
import io
import json
import sys

import numpy as np
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

OUTSIDE_AREA_RANGE = 1e11  # COCOeval's area range "all" is [0, 1e5 ** 2]


def score(problem):
    truths = []
    for number, t in enumerate(problem["truths"], start=1):  # ids from 1: COCOeval takes id 0 as "no match"
        x, y, w, h = t["bbox"]
        truths.append({"id": number, "image_id": t["image"], "category_id": t["category"], "bbox": t["bbox"],
                       "area": OUTSIDE_AREA_RANGE if t["ignored"] and not t["crowd"] else w * h,
                       "iscrowd": int(t["crowd"])})
    dataset = {"images": [{"id": i} for i in problem["images"]],
               "categories": [{"id": c} for c in problem["categories"]],
               "annotations": truths}
    detections = [{"image_id": d["image"], "category_id": d["category"], "bbox": d["bbox"], "score": d["score"]}
                  for d in problem["detections"]]
    with contextlib.redirect_stdout(io.StringIO()):  # COCO and COCOeval print their progress
        ground_truth = COCO()
        ground_truth.dataset = dataset
        ground_truth.createIndex()
        evaluation = COCOeval(ground_truth, ground_truth.loadRes(detections), "bbox")
        evaluation.evaluate()
        evaluation.accumulate()
        evaluation.summarize()
    params = evaluation.params
    all_area = params.areaRngLbl.index("all")
    hundred = params.maxDets.index(100)
    per_category = {}
    for k, category in enumerate(params.catIds):
        aps = []
        for threshold in (0.5, 0.75):
            t = int(np.argmin(np.abs(params.iouThrs - threshold)))
            precision = evaluation.eval["precision"][t, :, k, all_area, hundred]
            aps.append(float(np.mean(precision)) if np.all(precision > -1) else -1.0)
        per_category[str(category)] = aps
    return {"ap50": float(evaluation.stats[1]), "ap75": float(evaluation.stats[2]), "perCategory": per_category}


def main():
    problems_path, answers_path = sys.argv[1], sys.argv[2]
    with open(problems_path) as f:
        problems = json.load(f)
    answers = [score(p) for p in problems]
    with open(answers_path, "w") as f:
        json.dump(answers, f)


if __name__ == "__main__":
    main()
