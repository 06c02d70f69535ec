"""Chapter 13 (chat templates and SFT): other students' answers."""


def _messages(body: str) -> str:
    return 'def to_messages(row, system=None):\n' + body


def _reply(body: str) -> str:
    return 'def generate_reply(model, tokenizer, messages, max_new_tokens=20):\n' + body


def _labels(body: str) -> str:
    return 'def completion_labels(tokenizer, messages):\n' + body


# A student's to_messages with the pieces that differ as arguments.
def _turns(user: str = 'row["instruction"] + ("\\n\\n" + row["context"] if row.get("context") else "")',
           system_if: str = "system", roles: tuple[str, str, str] = ("system", "user", "assistant"),
           key: str = "content") -> str:
    s, u, a = roles
    return _messages(f'    out = []\n'
                     f'    if {system_if}:\n'
                     f'        out.append({{"role": "{s}", "{key}": system}})\n'
                     f'    out.append({{"role": "{u}", "{key}": {user}}})\n'
                     f'    out.append({{"role": "{a}", "{key}": row["response"]}})\n'
                     f'    return out')


# A student's generate_reply: `render` makes `inputs`, `new` picks the tokens, `decode` the text.
def _generate(render: str = 'inputs = tokenizer.apply_chat_template(messages, add_generation_prompt=True, '
                            'return_tensors="pt").to(model.device)',
              sampling: str = "do_sample=False",
              new: str = 'out[0][inputs["input_ids"].shape[-1]:]',
              decode: str = "tokenizer.decode(new, skip_special_tokens=True).strip()") -> str:
    return _reply(f'    {render}\n'
                  f'    out = model.generate(**inputs, max_new_tokens=max_new_tokens, {sampling})\n'
                  f'    new = {new}\n'
                  f'    return {decode}')


# A student's completion_labels: `prompt_of` renders the prompt, `labels` builds the list.
def _mask(prompt_of: str = 'tokenizer.apply_chat_template(messages[:-1], add_generation_prompt=True)["input_ids"]',
          labels: str = "[-100] * n + ids[n:]") -> str:
    return _labels('    ids = tokenizer.apply_chat_template(messages)["input_ids"]\n'
                   f'    prompt = {prompt_of}\n'
                   '    n = len(prompt)\n'
                   f'    return {{"input_ids": ids, "labels": {labels}}}')


_LORA = ('lora_config = LoraConfig(r=4, lora_alpha=8, lora_dropout=0.0, target_modules=attention_modules, '
         'task_type="CAUSAL_LM")\n')
_SFT_ARGS = ('output_dir=str(workdir / "ex4"), max_steps=4, per_device_train_batch_size=4, '
             'learning_rate=SETTINGS["learning_rate"], assistant_only_loss=True, logging_steps=1, '
             'save_strategy="no", report_to="none", bf16=use_bf16')


def _configs(lora: str = _LORA, sft: str = _SFT_ARGS) -> str:
    return lora + f'sft_config = SFTConfig({sft})\n'


RIGHT = {
    "ex1-answer": [
        _turns(),
        # a list literal with a conditional system turn in front
        _messages('    user = row["instruction"]\n'
                  '    if row.get("context"):\n'
                  '        user += "\\n\\n" + row["context"]\n'
                  '    system_turn = [{"role": "system", "content": system}] if system else []\n'
                  '    return system_turn + [dict(role="user", content=user), dict(role="assistant", content=row["response"])]'),
        # pairs turned into dicts with a comprehension
        _messages('    context = row.get("context") or ""\n'
                  '    user = f"{row[\'instruction\']}\\n\\n{context}" if context else row["instruction"]\n'
                  '    pairs = [("system", system), ("user", user), ("assistant", row["response"])]\n'
                  '    return [{"role": r, "content": c} for r, c in pairs if r != "system" or c]'),
        # "\n\n".join of the non-empty parts
        _turns(user='"\\n\\n".join(part for part in (row["instruction"], row.get("context")) if part)'),
    ],
    "ex2-answer": [
        _generate(),
        # the string first, then the tokenizer without special tokens
        _generate(render='text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)\n'
                         '    inputs = tokenizer(text, return_tensors="pt", add_special_tokens=False).to(model.device)'),
        # batch_decode, greedy as num_beams=1 without sampling
        _generate(sampling="do_sample=False, num_beams=1",
                  decode="tokenizer.batch_decode(out[:, inputs['input_ids'].shape[1]:], skip_special_tokens=True)[0].strip()"),
        # the text-generation pipeline on the conversation, greedy
        _reply('    from transformers import pipeline\n'
               '    chat = pipeline("text-generation", model=model, tokenizer=tokenizer)\n'
               '    out = chat(messages, max_new_tokens=max_new_tokens, do_sample=False)\n'
               '    return out[0]["generated_text"][-1]["content"].strip()'),
    ],
    "ex3-answer": [
        _mask(),
        # a loop over positions
        _labels('    ids = tokenizer.apply_chat_template(messages)["input_ids"]\n'
                '    n = len(tokenizer.apply_chat_template(messages[:-1], add_generation_prompt=True)["input_ids"])\n'
                '    labels = []\n'
                '    for i, token in enumerate(ids):\n'
                '        labels.append(-100 if i < n else token)\n'
                '    return {"input_ids": ids, "labels": labels}'),
        # strings, then tokenised without special tokens
        _labels('    full = tokenizer.apply_chat_template(messages, tokenize=False)\n'
                '    prompt = tokenizer.apply_chat_template(messages[:-1], tokenize=False, add_generation_prompt=True)\n'
                '    ids = tokenizer(full, add_special_tokens=False)["input_ids"]\n'
                '    n = len(tokenizer(prompt, add_special_tokens=False)["input_ids"])\n'
                '    return {"input_ids": ids, "labels": [-100] * n + ids[n:]}'),
        # the ids as a list with return_dict=False, labels with numpy
        _labels('    import numpy as np\n'
                '    ids = tokenizer.apply_chat_template(messages, return_dict=False)\n'
                '    n = len(tokenizer.apply_chat_template(messages[:-1], add_generation_prompt=True, return_dict=False))\n'
                '    labels = np.array(ids)\n'
                '    labels[:n] = -100\n'
                '    return {"input_ids": list(ids), "labels": labels.tolist()}'),
    ],
    "ex4-answer": [
        _configs(),
        # keyword order, a list copy of the modules, lora_dropout=0 as an int
        _configs(lora='lora_config = LoraConfig(task_type="CAUSAL_LM", target_modules=list(attention_modules), '
                      'r=4, lora_alpha=8, lora_dropout=0)\n'),
        # the TaskType enum, and the extra options a student might copy from section 5
        _configs(lora='from peft import TaskType\n'
                      'lora_config = LoraConfig(r=4, lora_alpha=8, lora_dropout=0.0, '
                      'target_modules=attention_modules, task_type=TaskType.CAUSAL_LM)\n',
                 sft=_SFT_ARGS + ', max_length=SETTINGS["max_length"], seed=0'),
    ],
}

WRONG = {
    "ex1-answer": [
        (_turns(roles=("system", "human", "gpt")), "Spell the roles exactly"),
        (_turns(roles=("system", "User", "Assistant")), "Spell the roles exactly"),
        (_turns(system_if="False"), "Put {'role': 'system'"),  # the system message dropped
        (_turns(system_if="True"), "only when `system` is a non-empty string"),
        (_turns(user='row["instruction"]'), "plus '\\n\\n' and the context"),  # context dropped
        (_turns(user='row["instruction"] + " " + row.get("context", "")'), "plus '\\n\\n' and the context"),
        (_turns(key="text"), "the keys 'role' and 'content'"),
        # the assistant first, then the user
        (_messages('    turns = [{"role": "system", "content": system}] if system else []\n'
                   '    return turns + [{"role": "assistant", "content": row["response"]}, '
                   '{"role": "user", "content": row["instruction"]}]'), "then the user's instruction"),
        # changes the row it is given
        (_messages('    if row.get("context"):\n'
                   '        row["instruction"] += "\\n\\n" + row["context"]\n'
                   '    turns = [{"role": "system", "content": system}] if system else []\n'
                   '    return turns + [{"role": "user", "content": row["instruction"]}, '
                   '{"role": "assistant", "content": row["response"]}]'), "do not change the row"),
    ],
    "ex2-answer": [
        (_generate(render='inputs = tokenizer.apply_chat_template(messages, return_tensors="pt").to(model.device)'),
         "add_generation_prompt=True"),
        (_generate(new="out[0]"), "Decode only the tokens after the prompt"),
        (_generate(decode="tokenizer.decode(new).strip()"), "skip_special_tokens=True"),
        (_generate(decode="new"), "Decode the new token ids"),
        # the messages as plain text, no template
        (_generate(render='inputs = tokenizer(messages[-1]["content"], return_tensors="pt").to(model.device)'),
         "with the chat template"),
        (_reply('    inputs = tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt")\n'
                '    out = model.generate(**inputs, max_new_tokens=20, do_sample=False)\n'
                '    return tokenizer.decode(out[0, inputs["input_ids"].shape[1]:], skip_special_tokens=True).strip()'),
         "at most `max_new_tokens`"),
    ],
    "ex3-answer": [
        (_mask(labels="ids[:n] + [-100] * (len(ids) - n)"), "the answer is masked instead of the prompt"),
        (_mask(labels="[-100] * (n - 1) + ids[n - 1:]"), "one too few"),
        (_mask(labels="[-100] * (n + 1) + ids[n + 1:]"), "one too many"),
        (_mask(prompt_of='tokenizer.apply_chat_template(messages[:-1])["input_ids"]'),
         "the assistant header `<|im_start|>assistant` counts in the loss"),
        # the system turn left out of the prompt
        (_mask(prompt_of='tokenizer.apply_chat_template([m for m in messages[:-1] if m["role"] != "system"], '
                         'add_generation_prompt=True)["input_ids"]'), "system turn included"),
        (_mask(labels="[0] * n + ids[n:]"), "Use -100 (not 0"),
        # labels shifted by hand: the model shifts them itself
        (_mask(labels="([-100] * n + ids[n:])[1:] + [-100]"), "the model shifts the labels itself"),
        (_mask(labels="[-100] * len(ids)"), "nothing would be learnt"),
    ],
    "ex4-answer": [
        (_configs(lora=_LORA.replace("target_modules=attention_modules", 'target_modules="all-linear"')),
         "adapts more than the attention projections"),
        (_configs(lora=_LORA.replace("r=4", "r=8")), "r=4, lora_alpha=8"),
        (_configs(lora=_LORA.replace(', task_type="CAUSAL_LM"', "")), 'task_type="CAUSAL_LM"'),
        (_configs(lora=_LORA.replace('task_type="CAUSAL_LM"', 'task_type="SEQ_CLS"')), 'task_type="CAUSAL_LM"'),
        (_configs(sft=_SFT_ARGS.replace("assistant_only_loss=True", "assistant_only_loss=False")),
         "assistant_only_loss=True"),
        (_configs(sft=_SFT_ARGS.replace("logging_steps=1", "logging_steps=10")), "logging_steps=1"),
        (_configs(sft=_SFT_ARGS.replace('save_strategy="no", ', "")), 'save_strategy="no"'),
        (_configs(sft=_SFT_ARGS.replace("max_steps=4", "num_train_epochs=1")), "max_steps=4"),
        # TrainingArguments instead of SFTConfig
        (_LORA + 'from transformers import TrainingArguments\n'
         f'sft_config = TrainingArguments({_SFT_ARGS.replace("assistant_only_loss=True, ", "")})\n',
         "SFTTrainer takes an `SFTConfig`"),
    ],
}
