package io.llmcp.tooling.testmodel;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.DoubleSupplier;

/**
 * An ONNX graph under construction: nodes, initializers, inputs and outputs, written as the protobuf messages
 * of the public ONNX IR spec (field numbers below, from onnx/onnx.proto). Node outputs get fresh names so the
 * builder code reads like the computation. Large float initializers are generated while the file is written.
 */
final class OnnxGraph {
    // TensorProto.DataType
    static final int FLOAT = 1;
    static final int UINT8 = 2;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int BOOL = 9;
    static final int FLOAT16 = 10;

    // ModelProto
    private static final int MODEL_IR_VERSION = 1;
    private static final int MODEL_PRODUCER_NAME = 2;
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_OPSET_IMPORT = 8;
    private static final int OPSET_VERSION = 2;
    // GraphProto
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_NAME = 2;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    // NodeProto
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int NODE_DOMAIN = 7;
    /** Microsoft's contrib operators (MatMulNBits, GroupQueryAttention). */
    static final String MS_DOMAIN = "com.microsoft";
    // AttributeProto and its AttributeType values
    private static final int ATTR_NAME = 1;
    private static final int ATTR_F = 2;
    private static final int ATTR_I = 3;
    private static final int ATTR_G = 6;
    private static final int ATTR_INTS = 8;
    private static final int ATTR_TYPE = 20;
    private static final int TYPE_FLOAT = 1;
    private static final int TYPE_INT = 2;
    private static final int TYPE_GRAPH = 5;
    private static final int TYPE_INTS = 7;
    // TensorProto
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, Dimension
    private static final int VALUE_NAME = 1;
    private static final int VALUE_TYPE = 2;
    private static final int TYPE_TENSOR_TYPE = 1;
    private static final int TENSOR_TYPE_ELEM_TYPE = 1;
    private static final int TENSOR_TYPE_SHAPE = 2;
    private static final int SHAPE_DIM = 1;
    private static final int DIM_VALUE = 1;
    private static final int DIM_PARAM = 2;

    static final int OPSET = 17;
    private static final int IR_VERSION = 8;

    private final String name;
    private final ProtoMessage graph = new ProtoMessage();
    private int counter;
    private boolean usesMsDomain;
    private final java.util.Set<String> initializers = new java.util.HashSet<>();

    OnnxGraph(String name) {
        this.name = name;
        graph.string(GRAPH_NAME, name);
    }

    /** A node attribute; build with the static factories. */
    static final class Attr {
        final ProtoMessage proto;

        private Attr(ProtoMessage proto) {
            this.proto = proto;
        }
    }

    static Attr attr(String name, long value) {
        return new Attr(new ProtoMessage().string(ATTR_NAME, name).varint(ATTR_TYPE, TYPE_INT).varint(ATTR_I, value));
    }

    static Attr attr(String name, float value) {
        return new Attr(new ProtoMessage().string(ATTR_NAME, name).varint(ATTR_TYPE, TYPE_FLOAT).float32(ATTR_F, value));
    }

    static Attr attr(String name, long... values) {
        ProtoMessage p = new ProtoMessage().string(ATTR_NAME, name).varint(ATTR_TYPE, TYPE_INTS);
        p.packedInt64(ATTR_INTS, values);
        return new Attr(p);
    }

    static Attr attr(String name, OnnxGraph subgraph) {
        return new Attr(new ProtoMessage().string(ATTR_NAME, name).varint(ATTR_TYPE, TYPE_GRAPH)
                .message(ATTR_G, subgraph.graph));
    }

    /** Adds a node with one output and returns that output's generated name. */
    String op(String opType, String[] inputs, Attr... attrs) {
        String out = opType.toLowerCase() + "_" + (counter++);
        node(opType, inputs, new String[]{out}, attrs);
        return out;
    }

    String op(String opType, String a, Attr... attrs) {
        return op(opType, new String[]{a}, attrs);
    }

    String op(String opType, String a, String b, Attr... attrs) {
        return op(opType, new String[]{a, b}, attrs);
    }

    void node(String opType, String[] inputs, String[] outputs, Attr... attrs) {
        node(null, opType, inputs, outputs, attrs);
    }

    /** A node of another operator domain, e.g. {@link #MS_DOMAIN}; the model then imports that domain too. */
    String msOp(String opType, String[] inputs, Attr... attrs) {
        String out = opType.toLowerCase() + "_" + (counter++);
        node(MS_DOMAIN, opType, inputs, new String[]{out}, attrs);
        return out;
    }

    void node(String domain, String opType, String[] inputs, String[] outputs, Attr... attrs) {
        if (domain != null) usesMsDomain = true;
        ProtoMessage n = new ProtoMessage();
        for (String in : inputs) n.string(NODE_INPUT, in);
        for (String out : outputs) n.string(NODE_OUTPUT, out);
        n.string(NODE_NAME, opType + "_node_" + (counter++));
        n.string(NODE_OP_TYPE, opType);
        for (Attr a : attrs) n.message(NODE_ATTRIBUTE, a.proto);
        if (domain != null) n.string(NODE_DOMAIN, domain);
        graph.message(GRAPH_NODE, n);
    }

    /** A graph input or output; dims are Long (fixed) or String (symbolic), null for unknown rank. */
    void input(String name, int elemType, Object... dims) {
        graph.message(GRAPH_INPUT, valueInfo(name, elemType, dims));
    }

    void output(String name, int elemType, Object... dims) {
        graph.message(GRAPH_OUTPUT, valueInfo(name, elemType, dims));
    }

    private static ProtoMessage valueInfo(String name, int elemType, Object... dims) {
        ProtoMessage tensorType = new ProtoMessage().varint(TENSOR_TYPE_ELEM_TYPE, elemType);
        if (dims != null) {
            ProtoMessage shape = new ProtoMessage();
            for (Object d : dims) {
                ProtoMessage dim = new ProtoMessage();
                if (d instanceof String) dim.string(DIM_PARAM, (String) d);
                else dim.varint(DIM_VALUE, ((Number) d).longValue());
                shape.message(SHAPE_DIM, dim);
            }
            tensorType.message(TENSOR_TYPE_SHAPE, shape);
        }
        return new ProtoMessage().string(VALUE_NAME, name)
                .message(VALUE_TYPE, new ProtoMessage().message(TYPE_TENSOR_TYPE, tensorType));
    }

    /** A named int64 constant; returns its name. */
    String ints(String name, long[] dims, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) b.putLong(v);
        initializer(name, INT64, dims, b.array());
        return name;
    }

    /** A 1-D int64 constant with a generated name. */
    String ints(long... values) {
        return ints("const_i_" + (counter++), new long[]{values.length}, values);
    }

    /** A scalar float constant with a generated name. */
    String scalar(float value) {
        return floats("const_f_" + (counter++), new long[0], new float[]{value});
    }

    String floats(String name, long[] dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        initializer(name, FLOAT, dims, b.array());
        return name;
    }

    /** A uint8 constant (packed 4-bit weights, zero points). */
    String uint8(String name, long[] dims, byte[] values) {
        initializer(name, UINT8, dims, values);
        return name;
    }

    /** A float16 constant from float values (rounded to nearest even). */
    String halfs(String name, long[] dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putShort(ai.onnxruntime.platform.Fp16Conversions.floatToFp16(v));
        initializer(name, FLOAT16, dims, b.array());
        return name;
    }

    /** A float tensor whose values come from {@code values} one by one, while the model file is written. */
    String generatedFloats(String name, long[] dims, DoubleSupplier values) {
        long count = 1;
        for (long d : dims) count *= d;
        long elements = count;
        ProtoMessage t = tensorHeader(name, FLOAT, dims);
        t.lazyBytes(TENSOR_RAW_DATA, elements * 4, out -> {
            ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (long i = 0; i < elements; i++) {
                if (!chunk.hasRemaining()) {
                    out.write(chunk.array(), 0, chunk.position());
                    chunk.clear();
                }
                chunk.putFloat((float) values.getAsDouble());
            }
            out.write(chunk.array(), 0, chunk.position());
        });
        graph.message(GRAPH_INITIALIZER, t);
        return name;
    }

    /** Whether an initializer of that name exists. */
    boolean has(String name) {
        return initializers.contains(name);
    }

    private void initializer(String name, int dataType, long[] dims, byte[] raw) {
        initializers.add(name);
        graph.message(GRAPH_INITIALIZER, tensorHeader(name, dataType, dims).bytes(TENSOR_RAW_DATA, raw));
    }

    private static ProtoMessage tensorHeader(String name, int dataType, long[] dims) {
        ProtoMessage t = new ProtoMessage();
        if (dims.length > 0) t.packedInt64(TENSOR_DIMS, dims);
        return t.varint(TENSOR_DATA_TYPE, dataType).string(TENSOR_NAME, name);
    }

    /** Writes the ModelProto holding this graph; initializer data is generated during the write. */
    void writeModel(Path file) throws IOException {
        ProtoMessage model = new ProtoMessage()
                .varint(MODEL_IR_VERSION, IR_VERSION)
                .string(MODEL_PRODUCER_NAME, "llmcp-testmodel")
                .message(MODEL_GRAPH, graph)
                .message(MODEL_OPSET_IMPORT, new ProtoMessage().string(1, "").varint(OPSET_VERSION, OPSET));
        if (usesMsDomain) model.message(MODEL_OPSET_IMPORT, new ProtoMessage().string(1, MS_DOMAIN).varint(OPSET_VERSION, 1));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            model.writeTo(out);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    String name() {
        return name;
    }
}
