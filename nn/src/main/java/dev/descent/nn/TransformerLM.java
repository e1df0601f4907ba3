package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.Objects;

/**
 * A decoder-only (GPT-style) language model: INT64 token ids [N, T] to next-token logits [N, T, vocabSize].
 *
 * <pre>
 * h = dropout(embedding(tokens) + positions)          children embedding, positions, dropout
 * h = layers.i(h, causal)   for i = 0 .. numLayers-1   TransformerEncoderLayer, causal self-attention
 * h = norm(h)               PRE only                   LayerNorm (Xiong et al.'s final LN)
 * logits = head(h)          or h E^T when tied         Linear(dModel, vocab) with bias, absent when tied
 * </pre>
 *
 * <p>Each block is a {@link TransformerEncoderLayer} with causal self-attention (position t sees positions
 * 0..t), which is exactly PyTorch's {@code TransformerEncoderLayer} given a causal mask. The token embedding
 * is {@link Embedding}'s N(0, 1); with {@code tieWeights} the logits are {@code h embedding.weight^T} and the
 * model has no separate head. Built from a {@link Config}:
 *
 * <pre>{@code
 * TransformerLM lm = new TransformerLM(TransformerLM.Config.builder(256, 64, 128, 4, 4)
 *         .dimFeedforward(512).normPosition(NormPosition.PRE).build(), new Rng(0));
 * Variable logits = lm.forward(tokens);   // [N, T, 256]
 * }</pre>
 */
public final class TransformerLM extends Module {
    /**
     * The shape of a {@link TransformerLM}.
     *
     * @param vocabSize      number of token ids
     * @param maxLen         longest sequence (the positional table's length)
     * @param dModel         model width
     * @param nHead          attention heads
     * @param numLayers      blocks
     * @param dimFeedforward feed-forward hidden width
     * @param dropout        dropout probability (embeddings, blocks, attention weights)
     * @param activation     feed-forward nonlinearity
     * @param normPosition   PRE (with a final LayerNorm) or POST
     * @param positions      sinusoidal or learned positions
     * @param tieWeights     whether the output head is the transposed token embedding
     */
    public record Config(int vocabSize, int maxLen, int dModel, int nHead, int numLayers, int dimFeedforward,
                         double dropout, FeedForwardActivation activation, NormPosition normPosition,
                         PositionalEncoding.Kind positions, boolean tieWeights) {
        /** Checks the sizes. */
        public Config {
            if (vocabSize < 1 || maxLen < 1 || dModel < 1 || nHead < 1 || numLayers < 1 || dimFeedforward < 1) {
                throw new IllegalArgumentException("TransformerLM.Config: sizes must be positive: " + this);
            }
            if (dModel % nHead != 0) {
                throw new IllegalArgumentException("TransformerLM.Config: dModel " + dModel
                        + " is not a multiple of nHead " + nHead);
            }
            Objects.requireNonNull(activation, "activation");
            Objects.requireNonNull(normPosition, "normPosition");
            Objects.requireNonNull(positions, "positions");
        }

        /**
         * A builder with the required sizes; the rest default to a feed-forward width of 4 dModel, no dropout,
         * ReLU, PRE, learned positions and an untied head.
         */
        public static Builder builder(int vocabSize, int maxLen, int dModel, int nHead, int numLayers) {
            return new Builder(vocabSize, maxLen, dModel, nHead, numLayers);
        }
    }

    /** Builds a {@link Config}; every setter returns the builder. */
    public static final class Builder {
        private final int vocabSize;
        private final int maxLen;
        private final int dModel;
        private final int nHead;
        private final int numLayers;
        private int dimFeedforward;
        private double dropout;
        private FeedForwardActivation activation = FeedForwardActivation.RELU;
        private NormPosition normPosition = NormPosition.PRE;
        private PositionalEncoding.Kind positions = PositionalEncoding.Kind.LEARNED;
        private boolean tieWeights;

        private Builder(int vocabSize, int maxLen, int dModel, int nHead, int numLayers) {
            this.vocabSize = vocabSize;
            this.maxLen = maxLen;
            this.dModel = dModel;
            this.nHead = nHead;
            this.numLayers = numLayers;
            this.dimFeedforward = 4 * dModel;
        }

        /** The feed-forward hidden width (default 4 dModel). */
        public Builder dimFeedforward(int width) {
            this.dimFeedforward = width;
            return this;
        }

        /** The dropout probability (default 0). */
        public Builder dropout(double p) {
            this.dropout = p;
            return this;
        }

        /** The feed-forward nonlinearity (default ReLU). */
        public Builder activation(FeedForwardActivation a) {
            this.activation = a;
            return this;
        }

        /** PRE or POST (default PRE). */
        public Builder normPosition(NormPosition position) {
            this.normPosition = position;
            return this;
        }

        /** Sinusoidal or learned positions (default learned). */
        public Builder positions(PositionalEncoding.Kind kind) {
            this.positions = kind;
            return this;
        }

        /** Whether the head is the transposed token embedding (default false). */
        public Builder tieWeights(boolean tie) {
            this.tieWeights = tie;
            return this;
        }

        /** The configuration. */
        public Config build() {
            return new Config(vocabSize, maxLen, dModel, nHead, numLayers, dimFeedforward, dropout, activation,
                    normPosition, positions, tieWeights);
        }
    }

    private final Config config;
    private final Embedding embedding;
    private final PositionalEncoding positions;
    private final Dropout dropout;
    private final ModuleList<TransformerEncoderLayer> layers;
    private final LayerNorm norm;
    private final Linear head;

    /** A model of {@code config}, initialised from {@code rng}, which is kept for dropout. */
    public TransformerLM(Config config, Rng rng) {
        this.config = Objects.requireNonNull(config, "config");
        int d = config.dModel();
        this.embedding = registerModule("embedding", new Embedding(config.vocabSize(), d, rng));
        this.positions = registerModule("positions", PositionalEncoding.create(config.positions(), config.maxLen(), d,
                rng));
        this.dropout = registerModule("dropout", new Dropout(config.dropout(), rng));
        this.layers = registerModule("layers", new ModuleList<>());
        for (int i = 0; i < config.numLayers(); i++) {
            layers.add(new TransformerEncoderLayer(d, config.nHead(), config.dimFeedforward(), config.dropout(),
                    config.activation(), 1e-5, config.normPosition(), rng));
        }
        this.norm = config.normPosition() == NormPosition.PRE ? registerModule("norm", new LayerNorm(d)) : null;
        this.head = config.tieWeights() ? null : registerModule("head", new Linear(d, config.vocabSize(), rng));
    }

    /** The configuration. */
    public Config config() {
        return config;
    }

    /** The token embedding (also the output head when tied). */
    public Embedding embedding() {
        return embedding;
    }

    /** The blocks. */
    public ModuleList<TransformerEncoderLayer> layers() {
        return layers;
    }

    /**
     * Next-token logits.
     *
     * @param tokens INT64 ids [N, T] with T at most {@code maxLen}
     * @return logits [N, T, vocabSize]; position t depends on tokens 0..t only
     */
    public Variable forward(Tensor tokens) {
        if (tokens.dtype() != DType.INT64 || tokens.dim() != 2) {
            throw new IllegalArgumentException("TransformerLM: tokens must be INT64 [N, T], got " + tokens.dtype()
                    + " of shape " + tokens.shape());
        }
        if (tokens.size(1) > config.maxLen()) {
            throw new IllegalArgumentException("TransformerLM: sequence length " + tokens.size(1)
                    + " exceeds maxLen " + config.maxLen());
        }
        Variable h = dropout.forward(positions.forward(embedding.forward(tokens)));
        for (TransformerEncoderLayer layer : layers) {
            h = layer.forward(h, null, null, true);
        }
        if (norm != null) {
            h = norm.forward(h);
        }
        return head != null ? head.forward(h) : h.matmul(embedding.weight().t());
    }
}
