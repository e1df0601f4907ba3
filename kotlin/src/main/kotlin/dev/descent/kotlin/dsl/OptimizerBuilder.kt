package dev.descent.kotlin.dsl

import dev.descent.autograd.Variable
import dev.descent.optim.ParamGroup

/**
 * The receiver of an optimizer block: hyperparameters for every parameter, and [group]s of parameters,
 * chosen by name, with hyperparameters of their own.
 *
 * The optimizer gets group 0 for the parameters no group claims, with this block's hyperparameters, then one
 * group per [group] call, in order, with this block's hyperparameters overridden by the group's own. A
 * parameter belongs to the first group whose filter accepts its name; a group that accepts none stays, empty,
 * so that group indices do not depend on the model.
 */
class OptimizerBuilder internal constructor(optimizer: String, defaults: Map<String, Double>) :
    Hyperparameters(optimizer, defaults) {
    private val groups = mutableListOf<Pair<(String) -> Boolean, GroupBuilder>>()

    override fun inherited(key: String): Double? = defaults[key]

    /**
     * A group of the parameters whose dotted names (`0.weight`, `layers.1.norm1.bias`) [filter] accepts and
     * that no earlier group took, with the hyperparameters [block] sets:
     * `group(filter = { it.endsWith("bias") }) { weightDecay = 0.0 }`.
     */
    fun group(filter: (String) -> Boolean, block: GroupBuilder.() -> Unit) {
        groups += filter to GroupBuilder(this).apply(block)
    }

    internal fun groups(params: Map<String, Variable>): List<ParamGroup> {
        val rest = LinkedHashMap<String, Variable>()
        val claimed = List(groups.size) { LinkedHashMap<String, Variable>() }
        for ((name, p) in params) {
            val i = groups.indexOfFirst { it.first(name) }
            if (i < 0) rest[name] = p else claimed[i][name] = p
        }
        return listOf(ParamGroup(rest, values)) +
            groups.mapIndexed { i, (_, g) -> ParamGroup(claimed[i], values + g.values) }
    }
}

/** The receiver of a [OptimizerBuilder.group] block: the group's own hyperparameters. */
class GroupBuilder internal constructor(private val parent: OptimizerBuilder) :
    Hyperparameters(parent.optimizer, parent.defaults) {
    override fun inherited(key: String): Double? = parent.values[key] ?: parent.defaults[key]
}
