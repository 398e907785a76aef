package io.vigil.bench;

import io.vigil.api.face.Face;
import io.vigil.app.demo.DemoAssets;
import io.vigil.app.pipeline.Settings;
import io.vigil.inference.InferenceConfig;
import io.vigil.inference.face.Alignment;
import io.vigil.inference.face.Embedder;
import io.vigil.inference.face.FaceAnalyzer;
import io.vigil.inference.face.FaceDetector;
import io.vigil.inference.face.Images;
import io.vigil.inference.face.Landmarker;
import io.vigil.inference.model.OnnxModel;
import io.vigil.inference.model.SessionSettings;
import org.bytedeco.opencv.opencv_core.Mat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

@Command(
        name = "inference",
        mixinStandardHelpOptions = true,
        description = {
            "Faces per second through the worker path (JPEG decode, detect, landmarks, align, embed, thumbnail)",
            "against a bare ONNX Runtime loop over the same three models and the same images' tensors (baseline),",
            "per-step latency, and batch sizes. Uses the configured device and models (VIGIL_INFERENCE_*)."
        })
final class InferenceBench implements Callable<Integer> {
    @Option(names = "--frames", defaultValue = "96", description = "frames per measurement (default ${DEFAULT-VALUE})")
    int frames;

    @Option(
            names = "--batches",
            split = ",",
            defaultValue = "1,8,32",
            description = "batch sizes (default ${DEFAULT-VALUE})")
    List<Integer> batches;

    @Option(
            names = "--repeats",
            defaultValue = "3",
            description = "measured runs per figure, after two warm-up runs" + " (default ${DEFAULT-VALUE})")
    int repeats;

    @Override
    public Integer call() {
        InferenceConfig c = Settings.fromEnvironment().inference();
        List<byte[]> jpegs = DemoAssets.SCENE.stream()
                .map(s -> DemoAssets.read("scene/" + s))
                .toList();
        Map<String, long[]> steps = new TreeMap<>();
        FaceAnalyzer.Listener listener = new FaceAnalyzer.Listener() {
            @Override
            public void step(String step, long nanos, int items) {
                long[] s = steps.computeIfAbsent(step, k -> new long[2]);
                s[0] += nanos;
                s[1]++;
            }
        };
        int maxBatch = batches.stream().mapToInt(Integer::intValue).max().orElse(32);
        System.out.printf(
                "device %s, %d frames of %d photos (1 face each), threads %s%n",
                c.session().device(),
                frames,
                jpegs.size(),
                c.session().intraOpThreads() == 0 ? "default" : c.session().intraOpThreads());
        try (FaceAnalyzer analyzer = c.analyzer(maxBatch, listener)) {
            Spread bare = bareLoop(c, jpegs, analyzer);
            System.out.printf(
                    "%nbare ONNX Runtime loop (batch 1, tensors prepared beforehand): %s faces/s%n%n",
                    bare.show("%.1f"));
            System.out.printf("%-6s %24s %14s%n", "batch", "faces/s", "vs bare loop");
            for (int b : batches) {
                run(analyzer, jpegs, b, frames); // warm-up: JIT, ONNX Runtime's memory arena for this batch size
                run(analyzer, jpegs, b, frames);
                steps.clear();
                Spread fps = Spread.measure(0, repeats, () -> run(analyzer, jpegs, b, frames));
                System.out.printf("%-6d %24s %13.2fx%n", b, fps.show("%.1f"), fps.ratioTo(bare));
                if (b == batches.get(batches.size() - 1)) {
                    System.out.printf("%nper-step time per frame at batch %d:%n", b);
                    steps.forEach((k, v) -> System.out.printf("  %-10s %8.2f ms%n", k, v[0] / 1e6 / frames / repeats));
                }
            }
        }
        System.out.printf(
                "%nmedian [range] of %d runs of %d frames each, after two warm-up runs; ratios of medians.%n",
                repeats, frames);
        return 0;
    }

    private double run(FaceAnalyzer analyzer, List<byte[]> jpegs, int batch, int n) {
        long t0 = System.nanoTime();
        int faces = 0;
        for (int start = 0; start < n; start += batch) {
            List<Mat> images = new ArrayList<>();
            for (int i = start; i < Math.min(n, start + batch); i++) {
                images.add(Images.decode(jpegs.get(i % jpegs.size())));
            }
            for (List<Face> f : analyzer.analyze(images)) {
                faces += f.size();
            }
            images.forEach(Mat::close);
        }
        return faces / ((System.nanoTime() - t0) / 1e9);
    }

    /** The three models on prepared tensors, one face at a time: the cost of inference alone. */
    private Spread bareLoop(InferenceConfig c, List<byte[]> jpegs, FaceAnalyzer analyzer) {
        SessionSettings s = c.session();
        try (OnnxModel det = new OnnxModel(c.detector(), s);
                OnnxModel lm = new OnnxModel(c.landmarks(), s);
                OnnxModel emb = new OnnxModel(c.embedder(), s)) {
            List<float[][]> tensors = new ArrayList<>();
            for (byte[] jpeg : jpegs) {
                try (Mat img = Images.decode(jpeg)) {
                    Face face = analyzer.analyze(List.of(img)).get(0).get(0);
                    float[] d = new float[det.sampleSize()];
                    FaceDetector.input(img, d, 0);
                    float[] l = new float[lm.sampleSize()];
                    Landmarker.input(img, face.box(), l, 0);
                    float[] e = new float[emb.sampleSize()];
                    try (Mat aligned = Alignment.align(img, face.landmarks())) {
                        Embedder.input(aligned, e, 0);
                    }
                    tensors.add(new float[][] {d, l, e});
                }
            }
            return Spread.measure(2, repeats, () -> {
                long t0 = System.nanoTime();
                for (int i = 0; i < frames; i++) {
                    float[][] t = tensors.get(i % tensors.size());
                    det.run(t[0], 1);
                    lm.run(t[1], 1);
                    emb.run(t[2], 1);
                }
                return frames / ((System.nanoTime() - t0) / 1e9);
            });
        }
    }
}
