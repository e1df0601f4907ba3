package dev.descent.analysis.warmup;

/**
 * The shape of the Transformer a warmup study trains.
 *
 * @param dModel      model width
 * @param heads       attention heads (dividing {@code dModel})
 * @param layers      blocks: of the LM, or of each of the encoder and the decoder (a 6-6 model has 6)
 * @param feedforward hidden width of each feed-forward network
 * @param seqLen      sequence length: the LM's window of characters, or the length of the sequences to reverse
 */
public record ModelSize(int dModel, int heads, int layers, int feedforward, int seqLen) {
    /** Checks that the sizes make a Transformer. */
    public ModelSize {
        if (dModel < 1 || heads < 1 || layers < 1 || feedforward < 1 || seqLen < 1) {
            throw new IllegalArgumentException("ModelSize: every size must be positive, got dModel " + dModel
                    + ", heads " + heads + ", layers " + layers + ", feedforward " + feedforward + ", seqLen " + seqLen);
        }
        if (dModel % heads != 0) {
            throw new IllegalArgumentException("ModelSize: dModel " + dModel + " is not a multiple of heads " + heads);
        }
    }
}
