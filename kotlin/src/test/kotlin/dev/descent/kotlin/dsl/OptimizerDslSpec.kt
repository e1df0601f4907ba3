package dev.descent.kotlin.dsl

import dev.descent.autograd.Variable
import dev.descent.kotlin.invoke
import dev.descent.nn.Sequential
import dev.descent.optim.AdamW
import dev.descent.optim.LAMB
import dev.descent.optim.Optimizer
import dev.descent.optim.ParamGroup
import dev.descent.optim.SGD
import dev.descent.tensor.DType
import dev.descent.tensor.Rng
import dev.descent.tensor.Tensor
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf

class OptimizerDslSpec : StringSpec({
    // parameters 0.weight, 0.bias, 2.weight, 2.bias
    fun mlp(seed: Long = 0) = sequential(Rng(seed)) { linear(4, 3); relu(); linear(3, 2) }.also { it.to(DType.FLOAT64) }

    fun ParamGroup.names() = params().keys.toList()

    "group 0 holds what no group claims with the block's values; each group overrides them" {
        val opt = adamW(mlp()) {
            lr = 0.01
            group(filter = { it.endsWith("bias") }) { weightDecay = 0.0 }
        }
        val (rest, biases) = opt.paramGroups()
        rest.names() shouldBe listOf("0.weight", "2.weight")
        biases.names() shouldBe listOf("0.bias", "2.bias")
        rest.get("lr") shouldBe 0.01
        rest.get("weight_decay") shouldBe AdamW.DEFAULTS["weight_decay"]
        biases.get("lr") shouldBe 0.01
        biases.get("weight_decay") shouldBe 0.0
    }

    "values set after a group still reach it; a parameter goes to the first group that accepts it" {
        val opt = sgd(mlp()) {
            group(filter = { it.startsWith("0.") }) { momentum = 0.5 }
            group(filter = { it.endsWith("weight") }) { lr shouldBe SGD.DEFAULTS["lr"]; lr = 0.3 }
            group(filter = { it == "nothing" }) { }
            lr = 0.2
        }
        opt.paramGroups().map { it.names() } shouldBe
            listOf(listOf("2.bias"), listOf("0.weight", "0.bias"), listOf("2.weight"), listOf())
        opt.paramGroups().map { it.get("lr") } shouldBe listOf(0.2, 0.2, 0.3, 0.2)
        opt.paramGroups().map { it.get("momentum") } shouldBe listOf(0.0, 0.5, 0.0, 0.0)
    }

    "reading gives the value in force; betas and flags set Descent's keys" {
        val opt = adamW(mlp()) {
            lr shouldBe 1e-3
            betas shouldBe (0.9 to 0.999)
            betas = 0.8 to 0.95
            eps = 1e-6
            this["amsgrad"] = true
        }
        val g = opt.paramGroups()[0]
        listOf(g.get("beta1"), g.get("beta2"), g.get("eps"), g.get("amsgrad")) shouldBe listOf(0.8, 0.95, 1e-6, 1.0)
    }

    "the optimizer steps exactly as one built in Java from the same groups" {
        fun losses(model: Sequential, opt: Optimizer): List<Double> {
            val x = Tensor.randn(Rng(9), DType.FLOAT64, 6, 4)
            return List(3) {
                opt.zeroGrad()
                val loss = model(x).square().mean()
                loss.backward()
                opt.step()
                loss.item()
            }
        }
        val a = mlp()
        val b = mlp()
        val dsl = adamW(a) { lr = 0.05; group(filter = { it.endsWith("bias") }) { weightDecay = 0.0 } }
        val params = b.namedParameters()
        fun pick(suffix: String): Map<String, Variable> = params.filterKeys { it.endsWith(suffix) }
        val java = AdamW(listOf(ParamGroup(pick("weight"), mapOf("lr" to 0.05)),
            ParamGroup(pick("bias"), mapOf("lr" to 0.05, "weight_decay" to 0.0))))
        losses(a, dsl) shouldBe losses(b, java)
        shouldHaveSameState(a, b)
    }

    "any optimizer: by registry name, or by DEFAULTS and constructor" {
        optimizer("LAMB", mlp()) { lr = 0.02 }.shouldBeInstanceOf<LAMB>().paramGroups()[0].get("lr") shouldBe 0.02
        val sgd = optimizer("SGD", mlp().namedParameters(), SGD.DEFAULTS, ::SGD) { this["nesterov"] = true; momentum = 0.9 }
        sgd.paramGroups()[0].get("nesterov") shouldBe 1.0
    }

    "errors name the optimizer and the keys it has, or pass the Java validation on" {
        shouldThrow<IllegalArgumentException> { adamW(mlp()) { momentum = 0.9 } }.message.let {
            it shouldContain "AdamW"
            it shouldContain "momentum"
            it shouldContain "weight_decay"
        }
        shouldThrow<IllegalArgumentException> { optimizer("Adafactor", mlp()) }.message shouldContain "Adafactor"
        shouldThrow<IllegalArgumentException> { optimizer("NoSuchOptimizer", mlp()) }.message shouldContain "NoSuchOptimizer"
        // SGD's own check: Nesterov needs momentum
        shouldThrow<IllegalArgumentException> { optimizer("SGD", mlp()) { this["nesterov"] = true } }
    }
})
