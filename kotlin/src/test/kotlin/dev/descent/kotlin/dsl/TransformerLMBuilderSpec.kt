package dev.descent.kotlin.dsl

import dev.descent.kotlin.invoke
import dev.descent.kotlin.scope.seeded
import dev.descent.nn.FeedForwardActivation
import dev.descent.nn.NormPosition
import dev.descent.nn.PositionalEncoding
import dev.descent.nn.TransformerLM
import dev.descent.tensor.Rng
import dev.descent.tensor.Tensor
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class TransformerLMBuilderSpec : StringSpec({
    "every setting reaches the Java config, and the model is the one Java builds from the same seed" {
        val dsl = seeded(5) {
            transformerLM(vocabSize = 11, maxLen = 8) {
                dModel = 16; heads = 2; layers = 2; norm = POST; feedForward = 24; dropout = 0.1
                activation = FeedForwardActivation.GELU; positions = PositionalEncoding.Kind.SINUSOIDAL; tieWeights = true
            }
        }
        val config = TransformerLM.Config.builder(11, 8, 16, 2, 2).dimFeedforward(24).dropout(0.1)
            .activation(FeedForwardActivation.GELU).normPosition(NormPosition.POST)
            .positions(PositionalEncoding.Kind.SINUSOIDAL).tieWeights(true).build()
        dsl.config() shouldBe config
        val java = TransformerLM(config, Rng(5))
        shouldHaveSameState(dsl, java)
        val tokens = Tensor.of(longArrayOf(1, 5, 7, 2, 0, 10), 2, 3)
        dsl.eval(); java.eval()
        dsl(tokens).value().toFloatArray().toList() shouldBe java.forward(tokens).value().toFloatArray().toList()
    }

    "defaults are the Java builder's: PRE with a final LayerNorm, feed-forward 4 dModel" {
        val lm = transformerLM(vocabSize = 7, maxLen = 4, rng = Rng(0)) { dModel = 8; heads = 2; layers = 1 }
        lm.config() shouldBe TransformerLM.Config.builder(7, 4, 8, 2, 1).build()
        lm.namedParameters().keys.contains("norm.weight") shouldBe true
    }

    "missing sizes are named" {
        shouldThrow<IllegalArgumentException> {
            transformerLM(vocabSize = 7, maxLen = 4, rng = Rng(0)) { dModel = 8 }
        }.message shouldContain "heads, layers"
    }
})
