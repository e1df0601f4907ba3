package dev.descent.kotlin.dsl

import dev.descent.autograd.Variable
import dev.descent.kotlin.invoke
import dev.descent.kotlin.scope.seeded
import dev.descent.nn.BatchNorm2d
import dev.descent.nn.Conv2d
import dev.descent.nn.Dropout
import dev.descent.nn.Flatten
import dev.descent.nn.GELU
import dev.descent.nn.LayerNorm
import dev.descent.nn.Linear
import dev.descent.nn.MaxPool2d
import dev.descent.nn.NormPosition
import dev.descent.nn.ReLU
import dev.descent.nn.Sequential
import dev.descent.nn.Tanh
import dev.descent.nn.TransformerEncoder
import dev.descent.tensor.Rng
import dev.descent.tensor.Tensor
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

// Each model built by the DSL against the same layers constructed in Java, in the same order, from a fresh
// generator of the same seed: the state dicts, printed forms and outputs must agree bit for bit.
class SequentialBuilderSpec : StringSpec({
    "the issue's MLP is the Java Sequential of the same layers" {
        val dsl = seeded(7) { sequential { linear(20, 16); relu(); dropout(0.1); linear(16, 4) } }
        val r = Rng(7)
        val java = Sequential(Linear(20, 16, r), ReLU(), Dropout(0.1, r), Linear(16, 4, r))
        shouldHaveSameState(dsl, java)
        dsl.toString() shouldBe java.toString()
        // train mode: dropout masks come from the generator each model kept, in the same order
        val x = Tensor.randn(Rng(1), 5, 20)
        dsl(x).value().toFloatArray().toList() shouldBe java.forward(Variable.constant(x)).value().toFloatArray().toList()
    }

    "convolutional layers, normalisation, nesting, add and unary plus" {
        val extra = Tanh()
        val dsl = seeded(3) {
            sequential {
                conv2d(1, 4, 3, padding = 1); batchNorm2d(4); relu(); maxPool2d(2)
                sequential { flatten(); linear(64, 8) }
                layerNorm(8); gelu(); add(Linear(8, 3, rng)); +extra
            }
        }
        val r = Rng(3)
        val java = Sequential(
            Conv2d(1, 4, 3, 1, 1, r), BatchNorm2d(4), ReLU(), MaxPool2d(2),
            Sequential(Flatten(), Linear(64, 8, r)),
            LayerNorm(8), GELU(), Linear(8, 3, r), extra,
        )
        shouldHaveSameState(dsl, java)
        dsl.toString() shouldBe java.toString()
        val x = Tensor.randn(Rng(2), 2, 1, 8, 8)
        dsl(x).value().toFloatArray().toList() shouldBe java.forward(Variable.constant(x)).value().toFloatArray().toList()
    }

    "a Transformer encoder stack with norm = PRE ends with a LayerNorm, as the Java one" {
        val dsl = seeded(4) { sequential { transformerEncoder(layers = 2, dModel = 8, heads = 2, feedForward = 16) } }
        val java = Sequential(TransformerEncoder(2, 8, 2, 16, 0.0, NormPosition.PRE, Rng(4)))
        shouldHaveSameState(dsl, java)
        dsl.namedParameters().keys.filter { it.startsWith("0.norm") } shouldBe listOf("0.norm.weight", "0.norm.bias")
    }

    "an explicit generator needs no seeded block; without either the error says what to do" {
        val dsl = sequential(Rng(11)) { linear(3, 2) }
        shouldHaveSameState(dsl, Sequential(Linear(3, 2, Rng(11))))
        shouldThrow<IllegalStateException> { sequential { linear(3, 2) } }.message shouldContain "seeded"
    }
})
