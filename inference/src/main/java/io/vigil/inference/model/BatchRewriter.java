package io.vigil.inference.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes the batch dimension of an ONNX model dynamic, by editing the model's protobuf directly (field numbers from
 * onnx.proto; no generated classes needed): the graph inputs' and outputs' first dimension becomes the symbol
 * {@code N}, intermediate shape hints are dropped (ONNX Runtime re-infers them), and every {@code Reshape} whose
 * constant target shape starts with 1 gets 0 there ("copy the batch dimension from the input").
 */
public final class BatchRewriter {
    // onnx.proto field numbers
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    private static final int GRAPH_VALUE_INFO = 13;
    private static final int VALUE_INFO_NAME = 1;
    private static final int VALUE_INFO_TYPE = 2;
    private static final int TYPE_TENSOR = 1;
    private static final int TENSOR_TYPE_SHAPE = 2;
    private static final int SHAPE_DIM = 1;
    private static final int DIM_PARAM = 2;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OP_TYPE = 4;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_INT64_DATA = 7;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;

    /** What the rewrite changed, for logs and tests. */
    public record Result(byte[] model, List<String> dynamicTensors, List<String> reshapeConstants) {}

    private BatchRewriter() {}

    public static Result makeBatchDynamic(byte[] model) {
        try {
            UnknownFieldSet modelSet = UnknownFieldSet.parseFrom(model);
            UnknownFieldSet graph = UnknownFieldSet.parseFrom(single(modelSet, MODEL_GRAPH, "model.graph"));

            Map<String, Integer> initializerIndex = new HashMap<>();
            List<ByteString> initializers = new ArrayList<>(lengthDelimited(graph, GRAPH_INITIALIZER));
            for (int i = 0; i < initializers.size(); i++) {
                initializerIndex.put(string(UnknownFieldSet.parseFrom(initializers.get(i)), TENSOR_NAME), i);
            }

            List<String> dynamic = new ArrayList<>();
            List<ByteString> inputs = new ArrayList<>();
            for (ByteString vi : lengthDelimited(graph, GRAPH_INPUT)) {
                inputs.add(initializerIndex.containsKey(name(vi)) ? vi : symbolicBatch(vi, dynamic));
            }
            List<ByteString> outputs = new ArrayList<>();
            for (ByteString vi : lengthDelimited(graph, GRAPH_OUTPUT)) {
                outputs.add(symbolicBatch(vi, dynamic));
            }

            List<String> reshaped = new ArrayList<>();
            Set<Integer> done = new HashSet<>();
            for (ByteString nodeBytes : lengthDelimited(graph, GRAPH_NODE)) {
                UnknownFieldSet node = UnknownFieldSet.parseFrom(nodeBytes);
                if (!"Reshape".equals(string(node, NODE_OP_TYPE))) {
                    continue;
                }
                List<ByteString> nodeInputs = lengthDelimited(node, NODE_INPUT);
                Integer idx = nodeInputs.size() < 2
                        ? null
                        : initializerIndex.get(nodeInputs.get(1).toStringUtf8());
                if (idx != null && done.add(idx)) {
                    ByteString rewritten = batchFromInput(initializers.get(idx), reshaped);
                    initializers.set(idx, rewritten);
                }
            }

            UnknownFieldSet.Builder g = UnknownFieldSet.newBuilder(graph);
            g.clearField(GRAPH_VALUE_INFO);
            replace(g, GRAPH_INPUT, inputs);
            replace(g, GRAPH_OUTPUT, outputs);
            replace(g, GRAPH_INITIALIZER, initializers);
            UnknownFieldSet.Builder m = UnknownFieldSet.newBuilder(modelSet);
            replace(m, MODEL_GRAPH, List.of(g.build().toByteString()));
            return new Result(m.build().toByteArray(), List.copyOf(dynamic), List.copyOf(reshaped));
        } catch (InvalidProtocolBufferException e) {
            throw new ModelException("not a valid ONNX model (protobuf parse failed: " + e.getMessage() + ")", e);
        }
    }

    private static ByteString symbolicBatch(ByteString valueInfo, List<String> changed)
            throws InvalidProtocolBufferException {
        UnknownFieldSet vi = UnknownFieldSet.parseFrom(valueInfo);
        UnknownFieldSet type = UnknownFieldSet.parseFrom(single(vi, VALUE_INFO_TYPE, "value_info.type"));
        UnknownFieldSet tensor = UnknownFieldSet.parseFrom(single(type, TYPE_TENSOR, "type.tensor_type"));
        UnknownFieldSet shape = UnknownFieldSet.parseFrom(single(tensor, TENSOR_TYPE_SHAPE, "tensor_type.shape"));
        List<ByteString> dims = new ArrayList<>(lengthDelimited(shape, SHAPE_DIM));
        if (dims.isEmpty()) {
            return valueInfo;
        }
        dims.set(
                0,
                UnknownFieldSet.newBuilder()
                        .addField(
                                DIM_PARAM,
                                UnknownFieldSet.Field.newBuilder()
                                        .addLengthDelimited(ByteString.copyFromUtf8("N"))
                                        .build())
                        .build()
                        .toByteString());
        changed.add(string(vi, VALUE_INFO_NAME));
        UnknownFieldSet.Builder s = UnknownFieldSet.newBuilder(shape);
        replace(s, SHAPE_DIM, dims);
        UnknownFieldSet.Builder t = UnknownFieldSet.newBuilder(tensor);
        replace(t, TENSOR_TYPE_SHAPE, List.of(s.build().toByteString()));
        UnknownFieldSet.Builder ty = UnknownFieldSet.newBuilder(type);
        replace(ty, TYPE_TENSOR, List.of(t.build().toByteString()));
        UnknownFieldSet.Builder v = UnknownFieldSet.newBuilder(vi);
        replace(v, VALUE_INFO_TYPE, List.of(ty.build().toByteString()));
        return v.build().toByteString();
    }

    /** A constant Reshape target [1, ...] becomes [0, ...]; other constants are left alone. */
    private static ByteString batchFromInput(ByteString tensorBytes, List<String> changed)
            throws InvalidProtocolBufferException {
        UnknownFieldSet tensor = UnknownFieldSet.parseFrom(tensorBytes);
        UnknownFieldSet.Builder b = UnknownFieldSet.newBuilder(tensor);
        String name = string(tensor, TENSOR_NAME);
        List<ByteString> raw = lengthDelimited(tensor, TENSOR_RAW_DATA);
        if (!raw.isEmpty()) {
            ByteBuffer buf = ByteBuffer.wrap(raw.get(0).toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
            if (buf.remaining() < 8 || buf.getLong(0) != 1) {
                return tensorBytes;
            }
            buf.putLong(0, 0);
            replace(b, TENSOR_RAW_DATA, List.of(ByteString.copyFrom(buf.array())));
        } else {
            List<Long> values = int64s(tensor, TENSOR_INT64_DATA);
            if (values.isEmpty() || values.get(0) != 1) {
                return tensorBytes;
            }
            values.set(0, 0L);
            b.clearField(TENSOR_INT64_DATA);
            UnknownFieldSet.Field.Builder f = UnknownFieldSet.Field.newBuilder();
            values.forEach(f::addVarint);
            b.addField(TENSOR_INT64_DATA, f.build());
        }
        changed.add(name);
        return b.build().toByteString();
    }

    private static List<Long> int64s(UnknownFieldSet set, int field) throws InvalidProtocolBufferException {
        if (!set.hasField(field)) {
            return new ArrayList<>();
        }
        UnknownFieldSet.Field f = set.getField(field);
        List<Long> out = new ArrayList<>(f.getVarintList());
        for (ByteString packed : f.getLengthDelimitedList()) {
            CodedInputStream in = packed.newCodedInput();
            try {
                while (!in.isAtEnd()) {
                    out.add(in.readInt64());
                }
            } catch (IOException e) {
                throw new InvalidProtocolBufferException(e);
            }
        }
        return out;
    }

    private static void replace(UnknownFieldSet.Builder b, int field, List<ByteString> values) {
        b.clearField(field);
        UnknownFieldSet.Field.Builder f = UnknownFieldSet.Field.newBuilder();
        values.forEach(f::addLengthDelimited);
        b.addField(field, f.build());
    }

    private static List<ByteString> lengthDelimited(UnknownFieldSet set, int field) {
        return set.hasField(field) ? set.getField(field).getLengthDelimitedList() : List.of();
    }

    private static ByteString single(UnknownFieldSet set, int field, String what) {
        List<ByteString> l = lengthDelimited(set, field);
        if (l.isEmpty()) {
            throw new ModelException("not a valid ONNX model: " + what + " is missing");
        }
        return l.get(l.size() - 1);
    }

    private static String string(UnknownFieldSet set, int field) {
        List<ByteString> l = lengthDelimited(set, field);
        return l.isEmpty() ? "" : l.get(0).toStringUtf8();
    }

    private static String name(ByteString valueInfo) throws InvalidProtocolBufferException {
        return string(UnknownFieldSet.parseFrom(valueInfo), VALUE_INFO_NAME);
    }
}
