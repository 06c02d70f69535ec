"""Chapter 07 (accelerate): other students' answers. The tests run some answers on two ranks."""


def _loop(prepare: str, step: str = "            accelerator.backward(loss)\n"
                                    "            accelerator.clip_grad_norm_(model.parameters(), max_grad_norm)\n"
                                    "            optimizer.step()\n"
                                    "            scheduler.step()\n"
                                    "            optimizer.zero_grad()\n",
          record: str = "loss.item()") -> str:
    return ('def train_with_accelerate(accelerator, model, optimizer, dataloader, scheduler, '
            'num_epochs=1, max_grad_norm=1.0):\n' + prepare +
            '    model.train()\n'
            '    losses = []\n'
            '    for epoch in range(num_epochs):\n'
            '        for batch in dataloader:\n'
            '            loss = model(**batch).loss\n' + step +
            f'            losses.append({record})\n'
            '    return losses')


_PREPARE = ('    model, optimizer, dataloader, scheduler = accelerator.prepare(model, optimizer, '
            'dataloader, scheduler)\n')


def _validation(gather: str, reduce: str = "torch.cat(losses).mean().item()") -> str:
    return ('import torch.nn.functional as F\n\n'
            'def validation_loss(accelerator, model, dataloader):\n'
            '    model.eval()\n'
            '    losses = []\n'
            '    for batch in dataloader:\n'
            '        with torch.no_grad():\n'
            '            logits = model(**batch).logits\n'
            '        per_example = F.cross_entropy(logits, batch["labels"], reduction="none")\n'
            f'        losses.append({gather})\n'
            f'    return {reduce}')


_EFFECTIVE = ('def effective_batch_size(per_device_batch_size, num_processes, accumulation_steps):\n'
              '    return per_device_batch_size * num_processes * accumulation_steps\n\n')
_STEPS = ('def optimizer_steps_per_epoch(num_examples, per_device_batch_size, num_processes, '
          'accumulation_steps):\n'
          '    batches = math.ceil(num_examples / per_device_batch_size)\n'
          '    return math.ceil(math.ceil(batches / num_processes) / accumulation_steps)\n\n')
_GATHER = ('def gather_count(num_examples, per_device_batch_size, num_processes):\n'
           '    if num_processes == 1:\n'
           '        return num_examples\n'
           '    batches = math.ceil(num_examples / per_device_batch_size)\n'
           '    return math.ceil(batches / num_processes) * per_device_batch_size * num_processes\n')


def _accumulated(body: str, make: str = "Accelerator(gradient_accumulation_steps=accumulation_steps)") -> str:
    return ('def train_accumulated(model, optimizer, dataloader, accumulation_steps):\n'
            f'    accelerator = {make}\n'
            '    model, optimizer, dataloader = accelerator.prepare(model, optimizer, dataloader)\n'
            '    model.train()\n' + body +
            '    return accelerator.unwrap_model(model)')


_ACCUMULATE = ('    for batch in dataloader:\n'
               '        with accelerator.accumulate(model):\n'
               '            loss = model(**batch).loss\n'
               '            accelerator.backward(loss)\n'
               '            optimizer.step()\n'
               '            optimizer.zero_grad()\n')

RIGHT = {
    "ex1-answer": [
        _loop(_PREPARE),
        _loop('    model = accelerator.prepare_model(model)\n'
              '    optimizer = accelerator.prepare_optimizer(optimizer)\n'
              '    dataloader = accelerator.prepare_data_loader(dataloader)\n'
              '    scheduler = accelerator.prepare_scheduler(scheduler)\n'),
        _loop('    prepared = accelerator.prepare(model, optimizer, dataloader, scheduler)\n'
              '    model, optimizer, dataloader, scheduler = prepared\n',
              step="            optimizer.zero_grad()\n"
                   "            accelerator.backward(loss)\n"
                   "            if accelerator.sync_gradients:\n"
                   "                accelerator.clip_grad_norm_(model.parameters(), max_grad_norm)\n"
                   "            optimizer.step()\n"
                   "            scheduler.step()\n",
              record="float(loss.detach())"),
    ],
    "ex2-answer": [
        _validation("accelerator.gather_for_metrics(per_example)"),
        _validation("accelerator.gather_for_metrics(per_example)",
                    reduce="float(torch.cat(losses).sum() / torch.cat(losses).numel())"),
        'def validation_loss(accelerator, model, dataloader):\n'
        '    model.eval()\n'
        '    total, count = 0.0, 0\n'
        '    for batch in dataloader:\n'
        '        with torch.inference_mode():\n'
        '            logits = model(**batch).logits\n'
        '        values = accelerator.gather_for_metrics(torch.nn.functional.cross_entropy('
        'logits, batch["labels"], reduction="none"))\n'
        '        total += values.sum().item()\n'
        '        count += values.numel()\n'
        '    return total / count',
    ],
    "ex3-answer": [
        _EFFECTIVE + _STEPS + _GATHER,
        'import numpy as np\n' + _EFFECTIVE.replace(
            "return per_device_batch_size * num_processes * accumulation_steps",
            "return int(np.prod([per_device_batch_size, num_processes, accumulation_steps]))")
        + 'def optimizer_steps_per_epoch(num_examples, per_device_batch_size, num_processes, '
          'accumulation_steps):\n'
          '    batches = -(-num_examples // per_device_batch_size)\n'
          '    per_process = -(-batches // num_processes)\n'
          '    return -(-per_process // accumulation_steps)\n\n' + _GATHER,
        _EFFECTIVE + _STEPS + 'def gather_count(num_examples, per_device_batch_size, num_processes):\n'
        '    batches = math.ceil(num_examples / per_device_batch_size)\n'
        '    per_rank = math.ceil(batches / num_processes)\n'
        '    return num_examples if num_processes == 1 else per_rank * num_processes * '
        'per_device_batch_size\n',
    ],
    "ex4-answer": [
        _accumulated(_ACCUMULATE),
        _accumulated(_ACCUMULATE, make="Accelerator(cpu=True, gradient_accumulation_steps="
                                        "accumulation_steps)"),
        _accumulated('    for batch in dataloader:\n'
                     '        with accelerator.accumulate(model):\n'
                     '            outputs = model(**batch)\n'
                     '            accelerator.backward(outputs.loss)\n'
                     '            optimizer.step()\n'
                     '            optimizer.zero_grad(set_to_none=True)\n'),
    ],
}

WRONG = {
    "ex1-answer": [
        (_loop(_PREPARE, step="            loss.backward()\n"
                              "            accelerator.clip_grad_norm_(model.parameters(), max_grad_norm)\n"
                              "            optimizer.step()\n"
                              "            scheduler.step()\n"
                              "            optimizer.zero_grad()\n"), "accelerator.backward(loss)"),
        (_loop(_PREPARE, step="            accelerator.backward(loss)\n"
                              "            torch.nn.utils.clip_grad_norm_(model.parameters(), max_grad_norm)\n"
                              "            optimizer.step()\n"
                              "            scheduler.step()\n"
                              "            optimizer.zero_grad()\n"), "accelerator.clip_grad_norm_"),
        (_loop('    model, optimizer, dataloader = accelerator.prepare(model, optimizer, dataloader)\n'),
         "The scheduler was not prepared"),
        (_loop(_PREPARE, record="loss"), "loss.item()"),
        (_loop(_PREPARE, step="            accelerator.backward(loss)\n"
                              "            accelerator.clip_grad_norm_(model.parameters(), 1.0)\n"
                              "            optimizer.step()\n"
                              "            scheduler.step()\n"
                              "            optimizer.zero_grad()\n"), "not a fixed number"),
    ],
    "ex2-answer": [
        (_validation("per_example.mean()", reduce="torch.stack(losses).mean().item()"),
         "mean of the batch means"),
        (_validation("accelerator.gather(per_example)"), "gather_for_metrics"),
        (_validation("per_example"), "Gather the per-example losses"),
    ],
    "ex3-answer": [
        (_EFFECTIVE.replace("* num_processes ", "") + _STEPS + _GATHER, "Every process contributes"),
        (_EFFECTIVE + 'def optimizer_steps_per_epoch(num_examples, per_device_batch_size, '
         'num_processes, accumulation_steps):\n'
         '    return num_examples // (per_device_batch_size * num_processes * accumulation_steps)\n\n'
         + _GATHER, "Round up at each stage"),
        (_EFFECTIVE + _STEPS + 'def gather_count(num_examples, per_device_batch_size, num_processes):\n'
         '    return num_examples\n', "every one of them is full"),
        (_EFFECTIVE + _STEPS + 'def gather_count(num_examples, per_device_batch_size, num_processes):\n'
         '    return math.ceil(num_examples / per_device_batch_size) * per_device_batch_size\n',
         "gather_count"),
    ],
    "ex4-answer": [
        (_accumulated('    for batch in dataloader:\n'
                      '        loss = model(**batch).loss\n'
                      '        accelerator.backward(loss)\n'
                      '        optimizer.step()\n'
                      '        optimizer.zero_grad()\n'), "inside `with accelerator.accumulate(model):`"),
        (_accumulated('    for batch in dataloader:\n'
                      '        with accelerator.accumulate(model):\n'
                      '            loss = model(**batch).loss\n'
                      '            loss.backward()\n'
                      '            optimizer.step()\n'
                      '            optimizer.zero_grad()\n'), "which divides by the accumulation steps"),
        (_accumulated(_ACCUMULATE, make="Accelerator()"), "gradient_accumulation_steps"),
    ],
}
