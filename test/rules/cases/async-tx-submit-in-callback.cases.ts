import { c, type RuleCases } from '../rule-tester';

/** Finding line: the async_* call inside a function used as an async_tx callback. */
const FILE = (cbBody: string) => c`
  static void foo_done(void *arg)
  {
  	struct foo_req *req = arg;
  	struct async_submit_ctl submit;

  	${cbBody}
  }

  static void foo_start(struct foo_req *req, size_t len)
  {
  	struct async_submit_ctl submit;

  	init_async_submit(&submit, ASYNC_TX_ACK, NULL, foo_done, req, NULL);
  	async_memcpy(req->d, req->s, 0, 0, len, &submit);
  }
`;


const IRQ_FILE = (register: string) => c`
  static irqreturn_t foo_irq(int irq, void *data)
  {
  	struct foo_req *req = data;
  	struct async_submit_ctl submit;

  	init_async_submit(&submit, ASYNC_TX_ACK, NULL, NULL, NULL, NULL);
  	async_memcpy(req->d, req->s, 0, 0, 64, &submit);
  	return IRQ_HANDLED;
  }

  static int foo_probe(struct platform_device *pdev)
  {
  	struct foo_req *req = platform_get_drvdata(pdev);

  	return ${register};
  }
`;

const cases: RuleCases = {
  rule: 'async-tx/submit-in-callback',
  valid: [
    { name: 'threaded handler (runs in a kernel thread) submits', code: IRQ_FILE('request_threaded_irq(req->irq, foo_hardirq, foo_irq, IRQF_ONESHOT, "foo", req)') },
    { name: 'devm threaded handler submits', code: IRQ_FILE('devm_request_threaded_irq(&pdev->dev, req->irq, NULL, foo_irq, IRQF_ONESHOT, "foo", req)') },
    { name: 'an irqreturn_t function this file never registers', code: IRQ_FILE('foo_register(req, foo_irq)') },
    { name: 'callback completes a completion', code: FILE('complete(&req->done);') },
    { name: 'callback queues work', code: FILE('schedule_work(&req->work);') },
    { name: 'callback issues pending only', code: FILE('async_tx_issue_pending_all();') },
    { name: 'callback initialises a submit only', code: FILE('init_async_submit(&submit, 0, NULL, NULL, NULL, NULL);') },
    {
      name: 'submitting function is not a callback',
      code: c`
        static void foo_worker(struct foo_req *req, size_t len)
        {
        	struct async_submit_ctl submit;

        	init_async_submit(&submit, ASYNC_TX_ACK, NULL, NULL, NULL, NULL);
        	async_memcpy(req->d, req->s, 0, 0, len, &submit);
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'primary handler of devm_request_irq submits a copy',
      code: IRQ_FILE('devm_request_irq(&pdev->dev, req->irq, foo_irq, 0, "foo", req)'),
      errors: [{ line: 7, message: /registers as a hard-IRQ handler/ }],
    },
    {
      name: 'primary handler of request_threaded_irq submits a copy',
      code: IRQ_FILE('request_threaded_irq(req->irq, foo_irq, NULL, IRQF_SHARED, "foo", req)'),
      errors: [{ line: 7, message: /hard-IRQ handler/ }],
    },
    { name: 'callback submits a copy', code: FILE('async_memcpy(req->s, req->d, 0, 0, 64, &submit);'), errors: [{ line: 6, message: /completion callback/ }] },
    { name: 'callback submits an xor', code: FILE('async_xor(req->d, req->srcs, 0, 2, 64, &submit);'), errors: [{ line: 6 }] },
    { name: 'callback triggers a callback', code: FILE('async_trigger_callback(&submit);'), errors: [{ line: 6 }] },
    { name: 'callback submits a syndrome', code: FILE('async_gen_syndrome(req->blocks, req->offs, 4, 64, &submit);'), errors: [{ line: 6 }] },
  ],
};

export default cases;
