package io.vigil.app.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.api.face.Face;
import io.vigil.api.serde.JsonSerde;
import io.vigil.api.watchlist.Similarity;
import io.vigil.app.UserException;
import io.vigil.app.enrol.Enroller;
import io.vigil.app.pipeline.Settings;
import io.vigil.inference.face.Annotator;
import io.vigil.inference.face.Embedder;
import io.vigil.inference.face.FaceAnalyzer;
import org.bytedeco.opencv.opencv_core.Mat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(
        name = "faces",
        mixinStandardHelpOptions = true,
        description = "Detects and compares faces in image files with the configured models (bundled by default).",
        subcommands = {FacesCommand.Detect.class, FacesCommand.Compare.class, CommandLine.HelpCommand.class})
final class FacesCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    static FaceAnalyzer analyzer() {
        return Settings.fromEnvironment().inference().analyzer(32, FaceAnalyzer.Listener.NONE);
    }

    @Command(
            name = "detect",
            mixinStandardHelpOptions = true,
            description =
                    "Prints each face found in each image: box, detection score, and (with --json) the embedding.")
    static final class Detect implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "IMAGE")
        List<Path> images;

        @Option(names = "--json", description = "one JSON object per image, with 512-d embeddings")
        boolean json;

        @Option(
                names = "--annotate",
                paramLabel = "DIR",
                description = "write a copy of each image with boxes and landmarks drawn")
        Path annotate;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            if (annotate != null) {
                Files.createDirectories(annotate);
            }
            try (FaceAnalyzer analyzer = analyzer()) {
                for (Path image : images) {
                    Mat m = Enroller.read(image);
                    List<Face> faces = analyzer.analyze(List.of(m)).get(0);
                    if (json) {
                        out.println(JsonSerde.MAPPER.writeValueAsString(toJson(image, m, faces)));
                    } else {
                        out.printf("%s: %d face(s)%n", image, faces.size());
                        for (int i = 0; i < faces.size(); i++) {
                            Face f = faces.get(i);
                            out.printf(
                                    "  #%d box=(%.0f,%.0f)-(%.0f,%.0f) score=%.3f%n",
                                    i,
                                    f.box().x1(),
                                    f.box().y1(),
                                    f.box().x2(),
                                    f.box().y2(),
                                    f.score());
                        }
                    }
                    if (annotate != null) {
                        Path dst = annotate.resolve(
                                image.getFileName().toString().replaceAll("\\.[^.]*$", "") + ".faces.jpg");
                        Files.write(dst, Annotator.annotate(m, faces));
                    }
                    m.close();
                }
            }
            out.flush();
            return 0;
        }

        private static ObjectNode toJson(Path image, Mat m, List<Face> faces) {
            ObjectNode o = JsonSerde.MAPPER.createObjectNode();
            o.put("image", image.toString()).put("width", m.cols()).put("height", m.rows());
            ArrayNode arr = o.putArray("faces");
            for (Face f : faces) {
                ObjectNode fo = arr.addObject();
                fo.putPOJO("box", f.box());
                fo.put("score", f.score());
                ArrayNode lm = fo.putArray("landmarks");
                for (float v : f.landmarks()) {
                    lm.add(v);
                }
                ArrayNode e = fo.putArray("embedding");
                for (float v : f.embedding()) {
                    e.add(v);
                }
            }
            return o;
        }
    }

    @Command(
            name = "compare",
            mixinStandardHelpOptions = true,
            description = {
                "Prints the cosine similarity of the largest face in A and in B, and the verdict at the threshold.",
                "Exit 0 for the same person, 1 for different people, 2 when an image has no face."
            })
    static final class Compare implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "A")
        Path a;

        @Parameters(index = "1", paramLabel = "B")
        Path b;

        @Option(
                names = "--threshold",
                paramLabel = "COSINE",
                description =
                        "match threshold (default: VIGIL_MATCHER_THRESHOLD, else " + Similarity.DEFAULT_THRESHOLD + ")")
        Double threshold;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            double threshold = this.threshold != null
                    ? this.threshold
                    : Settings.fromEnvironment().matcher().threshold();
            try (FaceAnalyzer analyzer = analyzer()) {
                float[] ea = largest(analyzer, a);
                float[] eb = largest(analyzer, b);
                double sim = Embedder.cosine(ea, eb);
                boolean same = sim >= threshold;
                spec.commandLine()
                        .getOut()
                        .printf(
                                "similarity %.4f (threshold %.2f): %s%n",
                                sim, threshold, same ? "same person" : "different people");
                spec.commandLine().getOut().flush();
                return same ? 0 : 1;
            }
        }

        private static float[] largest(FaceAnalyzer analyzer, Path image) {
            List<Face> faces = analyzer.analyze(List.of(Enroller.read(image))).get(0);
            if (faces.isEmpty()) {
                throw new UserException("no face found in " + image, 2);
            }
            return faces.stream()
                    .max((x, y) -> Float.compare(x.box().area(), y.box().area()))
                    .orElseThrow()
                    .embedding();
        }
    }
}
