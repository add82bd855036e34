import Parser from 'tree-sitter';
import C from 'tree-sitter-c';
import { describe, expect, it } from 'vitest';
import { buildCfg, cfgToText } from '../../server/src/c/cfg';
import type { Cfg } from '../../server/src/c/cfg-types';
import { indexFunctions } from '../../server/src/c/functions';

const parser = new Parser();
parser.setLanguage(C as unknown as Parser.Language);

function cfgsOf(src: string): Cfg[] {
  const tree = parser.parse(src);
  return indexFunctions(tree.rootNode).map((f) => buildCfg(f));
}

function cfgOf(src: string): Cfg {
  const cfgs = cfgsOf(src);
  const cfg = cfgs[0];
  if (!cfg) throw new Error('no function in source');
  checkInvariants(cfg);
  return cfg;
}

function dump(src: string): string {
  return `\n${cfgToText(cfgOf(src))}\n`;
}

/** The structural guarantees every CFG must meet, on any input. */
function checkInvariants(cfg: Cfg): void {
  cfg.nodes.forEach((n, i) => expect(n.id).toBe(i));
  expect(cfg.nodes.filter((n) => n.kind === 'entry').length).toBe(1);
  expect(cfg.nodes.filter((n) => n.kind === 'exit').length).toBe(1);
  expect(cfg.nodes[cfg.entry]?.kind).toBe('entry');
  expect(cfg.nodes[cfg.exit]?.kind).toBe('exit');
  expect(cfg.nodes[cfg.exit]?.succs).toEqual([]);
  for (const n of cfg.nodes) {
    for (const e of n.succs) {
      expect(e.to).toBeGreaterThanOrEqual(0);
      expect(e.to).toBeLessThan(cfg.nodes.length);
      expect(e.to).not.toBe(cfg.entry);
    }
  }
  const reach = new Set<number>([cfg.entry]);
  const work = [cfg.entry];
  while (work.length > 0) {
    const id = work.pop() ?? 0;
    for (const e of cfg.nodes[id]?.succs ?? []) {
      if (!reach.has(e.to)) {
        reach.add(e.to);
        work.push(e.to);
      }
    }
  }
  for (const id of reach) {
    if (id !== cfg.exit) expect(cfg.nodes[id]?.succs.length ?? 0).toBeGreaterThan(0);
  }
  // Every cycle is closed by a back edge: without them the graph is acyclic, and the
  // forward edges go from lower to higher ids.
  for (const n of cfg.nodes) {
    for (const e of n.succs) if (!e.back) expect(e.to).toBeGreaterThan(n.id);
  }
}

describe('straight-line code', () => {
  it('makes one node per statement and declaration, none for empty statements', () => {
    expect(
      dump(`
static void foo_start(struct foo_priv *priv)
{
	u32 val = readl(priv->base + FOO_CTRL);
	;
	{
		spin_lock(&priv->lock);
		{ val |= FOO_EN; }
		spin_unlock(&priv->lock);
	}
	writel(val, priv->base + FOO_CTRL);
}
`),
    ).toBe(`
0 entry -> 1
1 stmt \`u32 val = readl(priv->base + FOO_CTRL);\` -> 2
2 stmt \`spin_lock(&priv->lock);\` -> 3
3 stmt \`val |= FOO_EN;\` -> 4
4 stmt \`spin_unlock(&priv->lock);\` -> 5
5 stmt \`writel(val, priv->base + FOO_CTRL);\` -> 6
6 exit
`);
  });

  it('handles an empty body', () => {
    expect(dump('static void foo_nop(void)\n{\n}\n')).toBe('\n0 entry -> 1\n1 exit\n');
  });

  it('keeps statement expressions, ?:, && and || inside one node', () => {
    const cfg = cfgOf(`
static int foo_pick(struct foo_priv *priv)
{
	int n = ({ int __x = priv->a; __x > 0 ? __x : 0; });
	if (priv->a && (priv->b || foo_ready(priv)))
		n = priv->c ? 1 : 2;
	return n;
}
`);
    expect(`\n${cfgToText(cfg)}\n`).toBe(`
0 entry -> 1
1 stmt \`int n = ({ int __x = priv->a; __x > 0 ? ...\` -> 2
2 branch \`priv->a && (priv->b || foo_ready(priv))\` -> 3:true 4:false
3 stmt \`n = priv->c ? 1 : 2;\` -> 4
4 return \`return n;\` -> 5
5 exit
`);
    const ret = cfg.nodes[4];
    expect(ret?.value?.text).toBe('n');
    expect(cfg.nodes[2]?.syntax?.type).toBe('binary_expression');
  });
});

describe('if / else', () => {
  it('branches on the condition without parentheses', () => {
    const cfg = cfgOf(`
static int foo_check(struct device *dev, dma_addr_t addr)
{
	if (dma_mapping_error(dev, addr)) {
		dev_err(dev, "map failed\\n");
		return -ENOMEM;
	} else if (addr & 3)
		return -EINVAL;
	else
		foo_note(addr);
	return 0;
}
`);
    expect(`\n${cfgToText(cfg)}\n`).toBe(`
0 entry -> 1
1 branch \`dma_mapping_error(dev, addr)\` -> 2:true 4:false
2 stmt \`dev_err(dev, "map failed\\n");\` -> 3
3 return \`return -ENOMEM;\` -> 8
4 branch \`addr & 3\` -> 5:true 6:false
5 return \`return -EINVAL;\` -> 8
6 stmt \`foo_note(addr);\` -> 7
7 return \`return 0;\` -> 8
8 exit
`);
    expect(cfg.nodes[1]?.syntax?.type).toBe('call_expression');
    expect(cfg.nodes[3]?.value?.text).toBe('-ENOMEM');
  });

  it('lets empty arms fall through', () => {
    expect(
      dump(`
static void foo_empty(int a)
{
	if (a)
		;
	else {
	}
	foo_after(a);
}
`),
    ).toBe(`
0 entry -> 1
1 branch \`a\` -> 2:true 2:false
2 stmt \`foo_after(a);\` -> 3
3 exit
`);
  });

  it('gives a bare return a null value', () => {
    const cfg = cfgOf('static void foo_ret(int a)\n{\n\tif (a)\n\t\treturn;\n\tfoo_x();\n}\n');
    expect(cfg.nodes.find((n) => n.kind === 'return')?.value).toBeNull();
  });
});

describe('loops', () => {
  it('while: condition head, body, back edge', () => {
    const cfg = cfgOf(`
static void foo_drain(struct foo_priv *priv)
{
	while (readl(priv->base + FOO_STAT) & FOO_BUSY)
		cpu_relax();
	foo_done(priv);
}
`);
    expect(`\n${cfgToText(cfg)}\n`).toBe(`
0 entry -> 1
1 branch loop \`readl(priv->base + FOO_STAT) & FOO_BUSY\` -> 2:true 3:false
2 stmt \`cpu_relax();\` -> 1^
3 stmt \`foo_done(priv);\` -> 4
4 exit
`);
    expect(cfg.nodes[1]?.loopHead).toBe(true);
  });

  it('while from a masked iterator macro: comma-expression condition', () => {
    // list_for_each_entry(buf, &priv->bufs, list) { ... } after the dialect mask.
    expect(
      dump(`
static void foo_unmap_all(struct foo_priv *priv)
{
	struct foo_buf *buf;

	while              (buf, &priv->bufs, list) {
		dma_unmap_single(priv->dev, buf->dma, buf->len, DMA_TO_DEVICE);
	}
}
`),
    ).toBe(`
0 entry -> 1
1 stmt \`struct foo_buf *buf;\` -> 2
2 branch loop \`buf, &priv->bufs, list\` -> 3:true 4:false
3 stmt \`dma_unmap_single(priv->dev, buf->dma, bu...\` -> 2^
4 exit
`);
  });

  it('for: init, condition, body, update, back edge', () => {
    expect(
      dump(`
static void foo_fill(struct foo_priv *priv)
{
	int i;

	for (i = 0; i < FOO_RING; i++)
		priv->ring[i] = 0;
}
`),
    ).toBe(`
0 entry -> 1
1 stmt \`int i;\` -> 2
2 stmt \`i = 0\` -> 3
3 branch loop \`i < FOO_RING\` -> 4:true 6:false
4 stmt \`priv->ring[i] = 0;\` -> 5
5 stmt \`i++\` -> 3^
6 exit
`);
  });

  it('for with a declaration in the init and no update', () => {
    expect(
      dump(`
static void foo_scan(struct foo_priv *priv)
{
	for (int i = 0; i < 4;)
		i += foo_step(priv, i);
}
`),
    ).toBe(`
0 entry -> 1
1 stmt \`int i = 0;\` -> 2
2 branch loop \`i < 4\` -> 3:true 4:false
3 stmt \`i += foo_step(priv, i);\` -> 2^
4 exit
`);
  });

  it('for (;;) without a condition: no branch node, loop to the body start', () => {
    expect(
      dump(`
static int foo_wait(struct foo_priv *priv)
{
	for (;;) {
		if (foo_ready(priv))
			break;
		msleep(1);
	}
	return 0;
}
`),
    ).toBe(`
0 entry -> 1
1 branch \`foo_ready(priv)\` -> 3:true 2:false
2 stmt \`msleep(1);\` -> 1^
3 return \`return 0;\` -> 4
4 exit
`);
  });

  it('for (;;) with an update and an empty infinite loop do not throw', () => {
    expect(
      dump(`
static void foo_spin(int i)
{
	for (;; i++)
		foo_poke(i);
	for (;;)
		;
}
`),
    ).toBe(`
0 entry -> 1
1 stmt \`foo_poke(i);\` -> 2
2 stmt \`i++\` -> 1^
3 stmt \`for\` -> 3^
4 exit
`);
  });

  it('do { } while (0): body first, condition, back edge to the body start', () => {
    expect(
      dump(`
static void foo_reset(struct foo_priv *priv)
{
	do {
		writel(0, priv->base + FOO_CTRL);
		if (priv->quirk)
			break;
		writel(1, priv->base + FOO_CTRL);
	} while (0);
	foo_after(priv);
}
`),
    ).toBe(`
0 entry -> 1
1 stmt \`writel(0, priv->base + FOO_CTRL);\` -> 2
2 branch \`priv->quirk\` -> 5:true 3:false
3 stmt \`writel(1, priv->base + FOO_CTRL);\` -> 4
4 branch loop \`0\` -> 1:true^ 5:false
5 stmt \`foo_after(priv);\` -> 6
6 exit
`);
  });

  it('do-while: continue goes to the condition; an empty body loops on the condition', () => {
    expect(
      dump(`
static void foo_poll(struct foo_priv *priv)
{
	do {
		if (foo_busy(priv))
			continue;
		foo_kick(priv);
	} while (--priv->tries);
	do { } while (foo_busy(priv));
}
`),
    ).toBe(`
0 entry -> 1
1 branch \`foo_busy(priv)\` -> 3:true 2:false
2 stmt \`foo_kick(priv);\` -> 3
3 branch loop \`--priv->tries\` -> 1:true^ 4:false
4 branch loop \`foo_busy(priv)\` -> 4:true^ 5:false
5 exit
`);
  });

  it('nested loops with break and continue bind to the innermost loop', () => {
    expect(
      dump(`
static void foo_walk(struct foo_priv *priv)
{
	int i, j;

	for (i = 0; i < 4; i++) {
		if (priv->skip[i])
			continue;
		for (j = 0; j < 8; j++) {
			if (priv->stop)
				break;
			if (!priv->slot[i][j])
				continue;
			foo_touch(priv, i, j);
		}
		while (foo_pending(priv)) {
			if (foo_error(priv))
				break;
			continue;
		}
		foo_done(priv, i);
	}
}
`),
    ).toBe(`
0 entry -> 1
1 stmt \`int i, j;\` -> 2
2 stmt \`i = 0\` -> 3
3 branch loop \`i < 4\` -> 4:true 15:false
4 branch \`priv->skip[i]\` -> 14:true 5:false
5 stmt \`j = 0\` -> 6
6 branch loop \`j < 8\` -> 7:true 11:false
7 branch \`priv->stop\` -> 11:true 8:false
8 branch \`!priv->slot[i][j]\` -> 10:true 9:false
9 stmt \`foo_touch(priv, i, j);\` -> 10
10 stmt \`j++\` -> 6^
11 branch loop \`foo_pending(priv)\` -> 12:true 13:false
12 branch \`foo_error(priv)\` -> 13:true 11:false^
13 stmt \`foo_done(priv, i);\` -> 14
14 stmt \`i++\` -> 3^
15 exit
`);
  });
});

describe('switch', () => {
  it('case edges, fall-through, default, break', () => {
    const cfg = cfgOf(`
static enum dma_data_direction foo_dir(struct foo_cmd *cmd)
{
	enum dma_data_direction dir;

	switch (cmd->op) {
	case FOO_OP_READ:
		dir = DMA_FROM_DEVICE;
		break;
	case FOO_OP_WRITE:
		foo_prepare(cmd);
		fallthrough;
	case FOO_OP_FLUSH:
	case FOO_OP_SYNC:
		dir = DMA_TO_DEVICE;
		break;
	default:
		return DMA_NONE;
	}
	return dir;
}
`);
    expect(`\n${cfgToText(cfg)}\n`).toBe(`
0 entry -> 1
1 stmt \`enum dma_data_direction dir;\` -> 2
2 branch \`cmd->op\` -> 3:case(FOO_OP_READ) 4:case(FOO_OP_WRITE) 6:case(FOO_OP_FLUSH) 6:case(FOO_OP_SYNC) 7:default
3 stmt \`dir = DMA_FROM_DEVICE;\` -> 8
4 stmt \`foo_prepare(cmd);\` -> 5
5 stmt \`fallthrough;\` -> 6
6 stmt \`dir = DMA_TO_DEVICE;\` -> 8
7 return \`return DMA_NONE;\` -> 9
8 return \`return dir;\` -> 9
9 exit
`);
    expect(cfg.nodes[2]?.succs[0]).toEqual({ to: 3, label: 'case', caseValue: 'FOO_OP_READ' });
  });

  it('without a default: the default edge goes past the switch', () => {
    expect(
      dump(`
static int foo_irq_kind(u32 stat)
{
	int ret = 0;

	switch (stat & 3) {
	case 1:
		ret = 1;
		break;
	case 2: {
		ret = foo_two();
	}
	}
	return ret;
}
`),
    ).toBe(`
0 entry -> 1
1 stmt \`int ret = 0;\` -> 2
2 branch \`stat & 3\` -> 3:case(1) 4:case(2) 5:default
3 stmt \`ret = 1;\` -> 5
4 stmt \`ret = foo_two();\` -> 5
5 return \`return ret;\` -> 6
6 exit
`);
  });

  it('default in the middle, break inside a loop inside a case', () => {
    expect(
      dump(`
static void foo_mode(struct foo_priv *priv, int mode)
{
	switch (mode) {
	default:
		foo_warn(priv);
	case 0:
		while (foo_busy(priv)) {
			if (foo_dead(priv))
				break;
		}
		break;
	case 1:
		continue_later(priv);
	}
}
`),
    ).toBe(`
0 entry -> 1
1 branch \`mode\` -> 3:case(0) 5:case(1) 2:default
2 stmt \`foo_warn(priv);\` -> 3
3 branch loop \`foo_busy(priv)\` -> 4:true 6:false
4 branch \`foo_dead(priv)\` -> 6:true 3:false^
5 stmt \`continue_later(priv);\` -> 6
6 exit
`);
  });

  it('GNU case ranges keep their whole label text', () => {
    expect(
      dump(`
static int foo_class(u8 c)
{
	switch (c) {
	case 0x00 ... 0x1f:
		return 1;
	case 'a' ... 'z':
	case FOO_LAST:
		return 2;
	}
	return 0;
}
`),
    ).toBe(`
0 entry -> 1
1 branch \`c\` -> 2:case(0x00 ... 0x1f) 3:case('a' ... 'z') 3:case(FOO_LAST) 4:default
2 return \`return 1;\` -> 5
3 return \`return 2;\` -> 5
4 return \`return 0;\` -> 5
5 exit
`);
  });

  it('continue inside a switch inside a loop goes to the loop', () => {
    expect(
      dump(`
static void foo_cmds(struct foo_priv *priv, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		switch (priv->cmd[i]) {
		case 0:
			continue;
		case 1:
			break;
		}
		foo_run(priv, i);
	}
}
`),
    ).toBe(`
0 entry -> 1
1 stmt \`int i;\` -> 2
2 stmt \`i = 0\` -> 3
3 branch loop \`i < n\` -> 4:true 7:false
4 branch \`priv->cmd[i]\` -> 6:case(0) 5:case(1) 5:default
5 stmt \`foo_run(priv, i);\` -> 6
6 stmt \`i++\` -> 3^
7 exit
`);
  });
});

describe('goto and labels', () => {
  it('probe with a ladder of error labels unwinding in reverse', () => {
    const cfg = cfgOf(`
static int foo_probe(struct platform_device *pdev)
{
	struct foo_priv *priv;
	int ret;

	priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;

	priv->buf = kmalloc(FOO_BUF_LEN, GFP_KERNEL);
	if (!priv->buf)
		return -ENOMEM;

	priv->dma = dma_map_single(&pdev->dev, priv->buf, FOO_BUF_LEN,
				   DMA_TO_DEVICE);
	if (dma_mapping_error(&pdev->dev, priv->dma)) {
		ret = -ENOMEM;
		goto err_free;
	}

	ret = foo_hw_init(priv);
	if (ret)
		goto err_unmap;

	ret = devm_request_irq(&pdev->dev, priv->irq, foo_irq, 0, "foo", priv);
	if (ret)
		goto err_hw;

	return 0;

err_hw:
	foo_hw_exit(priv);
err_unmap:
	dma_unmap_single(&pdev->dev, priv->dma, FOO_BUF_LEN, DMA_TO_DEVICE);
err_free:
	kfree(priv->buf);
	return ret;
}
`);
    expect(`\n${cfgToText(cfg)}\n`).toBe(`
0 entry -> 1
1 stmt \`struct foo_priv *priv;\` -> 2
2 stmt \`int ret;\` -> 3
3 stmt \`priv = devm_kzalloc(&pdev->dev, sizeof(*...\` -> 4
4 branch \`!priv\` -> 5:true 6:false
5 return \`return -ENOMEM;\` -> 24
6 stmt \`priv->buf = kmalloc(FOO_BUF_LEN, GFP_KER...\` -> 7
7 branch \`!priv->buf\` -> 8:true 9:false
8 return \`return -ENOMEM;\` -> 24
9 stmt \`priv->dma = dma_map_single(&pdev->dev, p...\` -> 10
10 branch \`dma_mapping_error(&pdev->dev, priv->dma)\` -> 11:true 12:false
11 stmt \`ret = -ENOMEM;\` -> 21
12 stmt \`ret = foo_hw_init(priv);\` -> 13
13 branch \`ret\` -> 19:true 14:false
14 stmt \`ret = devm_request_irq(&pdev->dev, priv-...\` -> 15
15 branch \`ret\` -> 17:true 16:false
16 return \`return 0;\` -> 24
17 label err_hw -> 18
18 stmt \`foo_hw_exit(priv);\` -> 19
19 label err_unmap -> 20
20 stmt \`dma_unmap_single(&pdev->dev, priv->dma, ...\` -> 21
21 label err_free -> 22
22 stmt \`kfree(priv->buf);\` -> 23
23 return \`return ret;\` -> 24
24 exit
`);
    const label = cfg.nodes[19];
    expect(label?.label).toBe('err_unmap');
    expect(label?.syntax?.type).toBe('labeled_statement');
  });

  it('map N buffers, unwind with while (--i >= 0)', () => {
    expect(
      dump(`
static int foo_map_ring(struct foo_priv *priv, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		priv->ring[i].dma = dma_map_single(priv->dev, priv->ring[i].buf,
						   FOO_BUF_LEN, DMA_FROM_DEVICE);
		if (dma_mapping_error(priv->dev, priv->ring[i].dma))
			goto unwind;
	}
	return 0;

unwind:
	while (--i >= 0)
		dma_unmap_single(priv->dev, priv->ring[i].dma, FOO_BUF_LEN,
				 DMA_FROM_DEVICE);
	return -ENOMEM;
}
`),
    ).toBe(`
0 entry -> 1
1 stmt \`int i;\` -> 2
2 stmt \`i = 0\` -> 3
3 branch loop \`i < n\` -> 4:true 7:false
4 stmt \`priv->ring[i].dma = dma_map_single(priv-...\` -> 5
5 branch \`dma_mapping_error(priv->dev, priv->ring[...\` -> 8:true 6:false
6 stmt \`i++\` -> 3^
7 return \`return 0;\` -> 12
8 label unwind -> 9
9 branch loop \`--i >= 0\` -> 10:true 11:false
10 stmt \`dma_unmap_single(priv->dev, priv->ring[i...\` -> 9^
11 return \`return -ENOMEM;\` -> 12
12 exit
`);
  });

  it('map N buffers, unwind with for (j = i - 1; j >= 0; j--)', () => {
    expect(
      dump(`
static int foo_map_sgs(struct foo_priv *priv, int n)
{
	int i, j;

	for (i = 0; i < n; i++) {
		priv->dma[i] = dma_map_page(priv->dev, priv->page[i], 0, PAGE_SIZE,
					    DMA_BIDIRECTIONAL);
		if (dma_mapping_error(priv->dev, priv->dma[i]))
			goto err_unmap;
	}
	return 0;

err_unmap:
	for (j = i - 1; j >= 0; j--)
		dma_unmap_page(priv->dev, priv->dma[j], PAGE_SIZE, DMA_BIDIRECTIONAL);
	return -EIO;
}
`),
    ).toBe(`
0 entry -> 1
1 stmt \`int i, j;\` -> 2
2 stmt \`i = 0\` -> 3
3 branch loop \`i < n\` -> 4:true 7:false
4 stmt \`priv->dma[i] = dma_map_page(priv->dev, p...\` -> 5
5 branch \`dma_mapping_error(priv->dev, priv->dma[i...\` -> 8:true 6:false
6 stmt \`i++\` -> 3^
7 return \`return 0;\` -> 14
8 label err_unmap -> 9
9 stmt \`j = i - 1\` -> 10
10 branch loop \`j >= 0\` -> 11:true 13:false
11 stmt \`dma_unmap_page(priv->dev, priv->dma[j], ...\` -> 12
12 stmt \`j--\` -> 10^
13 return \`return -EIO;\` -> 14
14 exit
`);
  });

  it('backward goto (retry) is a back edge; labels in a row; label at the end', () => {
    expect(
      dump(`
static int foo_send(struct foo_priv *priv)
{
	int ret;

retry:
	ret = foo_try(priv);
	if (ret == -EAGAIN)
		goto retry;
	if (ret)
		goto out;
	foo_ok(priv);
out_unlock:
out:
	;
}
`),
    ).toBe(`
0 entry -> 1
1 stmt \`int ret;\` -> 2
2 label retry -> 3
3 stmt \`ret = foo_try(priv);\` -> 4
4 branch \`ret == -EAGAIN\` -> 2:true^ 5:false
5 branch \`ret\` -> 8:true 6:false
6 stmt \`foo_ok(priv);\` -> 7
7 label out_unlock -> 8
8 label out -> 9
9 exit
`);
  });

  it('an edge that a goto makes names the goto; falling into a label does not', () => {
    const cfg = cfgOf(`
static int foo_send(struct foo_priv *priv)
{
	int ret;

	ret = foo_try(priv);
	if (ret)
		goto out;
	if (foo_busy(priv)) {
		foo_log(priv);
		goto out;
	}
	foo_ok(priv);
out:
	return ret;
}
`);
    const label = cfg.nodes.find((n) => n.kind === 'label');
    const into = cfg.nodes.flatMap((n) => n.succs.filter((e) => e.to === label?.id).map((e) => ({ from: n.syntax?.text, via: e.via?.text ?? null, start: e.via?.startIndex })));
    expect(into.map(({ from, via }) => ({ from, via }))).toEqual([
      { from: 'ret', via: 'goto out;' },
      { from: 'foo_log(priv);', via: 'goto out;' },
      { from: 'foo_ok(priv);', via: null },
    ]);
    expect(new Set(into.map((e) => e.start)).size).toBe(3);
  });

  it('code after return/goto is unreachable but present; unknown labels end the path', () => {
    const cfg = cfgOf(`
static int foo_dead(struct foo_priv *priv)
{
	goto missing;
	foo_never(priv);
	return 0;
	foo_never_either(priv);
}
`);
    expect(`\n${cfgToText(cfg)}\n`).toBe(`
0 entry -> 4
1 stmt \`foo_never(priv);\` -> 2
2 return \`return 0;\` -> 4
3 stmt \`foo_never_either(priv);\` -> 4
4 exit
`);
  });
});

describe('odd and broken input', () => {
  it('an ERROR in statement position becomes one opaque stmt; the rest still has a CFG', () => {
    const cfg = cfgOf(`
static int foo_broken(struct foo_priv *priv)
{
	int ret = foo_a(priv);
	ret = = foo_b(priv) );
	if (ret)
		return ret;
	return foo_c(priv);
}
`);
    const kinds = cfg.nodes.map((n) => n.kind);
    expect(kinds[0]).toBe('entry');
    expect(kinds).toContain('branch');
    expect(kinds.filter((k) => k === 'return').length).toBe(2);
    expect(cfg.nodes.some((n) => n.syntax !== null && n.syntax.hasError)).toBe(true);
  });

  it('asm statements and Duff-style case labels in nested blocks do not throw', () => {
    const cfg = cfgOf(`
static void foo_copy(u32 *to, const u32 *from, int count)
{
	int n = (count + 3) / 4;

	asm volatile("dmb ish" : : : "memory");
	switch (count % 4) {
	case 0: do { *to = *from++;
	case 3:      *to = *from++;
	case 2:      *to = *from++;
	case 1:      *to = *from++;
		} while (--n > 0);
	}
}
`);
    expect(cfg.nodes.some((n) => n.syntax?.text.startsWith('asm'))).toBe(true);
    const sw = cfg.nodes.find((n) => n.kind === 'branch' && n.syntax?.text === 'count % 4');
    expect(sw?.succs.filter((e) => e.label === 'case').map((e) => e.caseValue)).toEqual(['0', '3', '2', '1']);
  });

  it('#ifdef inside a body: the branch that still has statements is used', () => {
    expect(
      dump(`
static void foo_sync(struct foo_priv *priv)
{
#ifdef CONFIG_FOO_NONCOHERENT
	dma_sync_single_for_cpu(priv->dev, priv->dma, priv->len, DMA_FROM_DEVICE);
#else

#endif
	foo_read(priv);
}
`),
    ).toBe(`
0 entry -> 1
1 stmt \`dma_sync_single_for_cpu(priv->dev, priv-...\` -> 2
2 stmt \`foo_read(priv);\` -> 3
3 exit
`);
  });

  it('break/continue outside any loop end the path instead of dangling', () => {
    expect(dump('static void foo_bad(void)\n{\n\tbreak;\n\tcontinue;\n}\n')).toBe('\n0 entry -> 1\n1 exit\n');
  });
});

// Deterministic pseudo-random generator so failures reproduce.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

const FRAGMENTS = [
  'x = dma_map_single(dev, p, n, DMA_TO_DEVICE);',
  'if (dma_mapping_error(dev, x))',
  'if (a) {',
  'if (b)',
  'else',
  'else {',
  '{',
  '}',
  '}',
  'while (i--)',
  'while (a, b, c) {',
  'for (i = 0; i < n; i++)',
  'for (int j = 0; ; j++) {',
  'for (;;)',
  'do {',
  '} while (0);',
  '} while (--n);',
  'switch (x) {',
  'case 1:',
  'case FOO ... BAR:',
  'default:',
  'break;',
  'continue;',
  'goto err;',
  'goto out;',
  'err:',
  'out:',
  'err_unmap: dma_unmap_single(dev, x, n, DMA_TO_DEVICE);',
  'return;',
  'return -ENOMEM;',
  ';',
  'spin_lock(&l);',
  'int k = ({ int t = 1; t; });',
  'asm volatile("" ::: "memory");',
  '#ifdef CONFIG_X',
  '#else',
  '#endif',
  ')',
  '(',
  '= =',
  'struct foo *f = a ? b : c;',
];

describe('never throws; invariants hold on random and truncated input', () => {
  it('random statement soups', () => {
    const next = rng(12345);
    let functions = 0;
    for (let iter = 0; iter < 400; iter++) {
      const n = 1 + Math.floor(next() * 30);
      const parts: string[] = [];
      for (let k = 0; k < n; k++) parts.push(FRAGMENTS[Math.floor(next() * FRAGMENTS.length)] ?? ';');
      const src = `static int foo_fuzz(struct device *dev, void *p, int n)\n{\n\t${parts.join('\n\t')}\n}\n`;
      const tree = parser.parse(src);
      for (const f of indexFunctions(tree.rootNode)) {
        const cfg = buildCfg(f);
        checkInvariants(cfg);
        expect(typeof cfgToText(cfg)).toBe('string');
        functions++;
      }
    }
    expect(functions).toBeGreaterThan(100);
  });

  it('every prefix of a real-shaped function', () => {
    const src = `
static int foo_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct foo_priv *priv = netdev_priv(ndev);
	dma_addr_t dma;
	int i, ret = 0;

	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		dma = skb_frag_dma_map(priv->dev, &skb_shinfo(skb)->frags[i], 0,
				       skb_frag_size(&skb_shinfo(skb)->frags[i]), DMA_TO_DEVICE);
		if (dma_mapping_error(priv->dev, dma))
			goto err_unmap;
		switch (priv->mode) {
		case FOO_MODE_A:
			priv->desc[i].addr = cpu_to_le64(dma);
			fallthrough;
		default:
			priv->desc[i].len = 0;
		}
	}
	do {
		ret = foo_kick(priv);
	} while (ret == -EBUSY);
	return NETDEV_TX_OK;

err_unmap:
	while (--i >= 0)
		dma_unmap_page(priv->dev, priv->desc[i].addr, priv->desc[i].len, DMA_TO_DEVICE);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}
`;
    let broken = 0;
    for (let cut = 1; cut <= src.length; cut++) {
      const tree = parser.parse(src.slice(0, cut));
      for (const f of indexFunctions(tree.rootNode)) {
        checkInvariants(buildCfg(f));
        if (f.hasErrors) broken++;
      }
    }
    expect(broken).toBeGreaterThan(0);
  });

  it('deeply nested blocks', () => {
    const depth = 500;
    const src = `static void foo_deep(int a)\n{\n${'if (a) {\n'.repeat(depth)}foo();\n${'}\n'.repeat(depth)}}\n`;
    const tree = parser.parse(src);
    for (const f of indexFunctions(tree.rootNode)) checkInvariants(buildCfg(f));
  });
});

describe('cfgToText', () => {
  it('shows all functions of a file deterministically', () => {
    const src = 'static void a(void)\n{\n\tfoo();\n}\nstatic void b(void)\n{\n\tbar();\n}\n';
    const one = cfgsOf(src).map(cfgToText);
    const two = cfgsOf(src).map(cfgToText);
    expect(one).toEqual(two);
    expect(one.length).toBe(2);
  });
});
