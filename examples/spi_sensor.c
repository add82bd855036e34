// SPDX-License-Identifier: MIT
/*
 * spi_sensor: example SPI temperature sensor driver for DMA Lint.
 * ss_read_temp() reads into a stack buffer (deliberate bug, see README.md);
 * ss_read_id() does the same transfer with kmalloc'd memory.
 */

#include <linux/bitops.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spi/spi.h>
#include <asm/unaligned.h>

#define SS_REG_CONFIG		0x01
#define SS_ID_LEN		4
#define SS_ID_MAGIC		0x53534e31	/* "SSN1" */

struct ss_data {
	struct spi_device *spi;
	struct mutex lock;		/* serialises bus transfers */
	u32 id;
};

/* The sensor streams a 14-bit two's complement temperature, MSB first. */
static int ss_read_temp(struct ss_data *data, int *millicelsius)
{
	u8 buf[2];
	int ret;

	mutex_lock(&data->lock);
	ret = spi_read(data->spi, buf, sizeof(buf));
	mutex_unlock(&data->lock);
	if (ret)
		return ret;

	*millicelsius = sign_extend32(get_unaligned_be16(buf) >> 2, 13) * 250 / 8;
	return 0;
}

static int ss_read_id(struct ss_data *data)
{
	u8 *buf;
	int ret;

	buf = kmalloc(SS_ID_LEN, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	mutex_lock(&data->lock);
	ret = spi_read(data->spi, buf, SS_ID_LEN);
	mutex_unlock(&data->lock);
	if (!ret)
		data->id = get_unaligned_be32(buf);

	kfree(buf);
	return ret;
}

/* spi_write_then_read() copies through its own DMA-safe buffer: stack memory is fine. */
static int ss_read_reg(struct ss_data *data, u8 reg, u8 *val)
{
	u8 cmd = reg;
	int ret;

	mutex_lock(&data->lock);
	ret = spi_write_then_read(data->spi, &cmd, 1, val, 1);
	mutex_unlock(&data->lock);
	return ret;
}

static ssize_t temp1_input_show(struct device *dev, struct device_attribute *attr,
				char *buf)
{
	struct ss_data *data = dev_get_drvdata(dev);
	int temp, ret;

	ret = ss_read_temp(data, &temp);
	if (ret)
		return ret;
	return sysfs_emit(buf, "%d\n", temp);
}
static DEVICE_ATTR_RO(temp1_input);

static struct attribute *ss_attrs[] = {
	&dev_attr_temp1_input.attr,
	NULL
};
ATTRIBUTE_GROUPS(ss);

static int ss_probe(struct spi_device *spi)
{
	struct ss_data *data;
	u8 mode;
	int ret;

	data = devm_kzalloc(&spi->dev, sizeof(*data), GFP_KERNEL);
	if (!data)
		return -ENOMEM;
	data->spi = spi;
	mutex_init(&data->lock);
	spi_set_drvdata(spi, data);

	ret = ss_read_id(data);
	if (ret)
		return ret;
	if (data->id != SS_ID_MAGIC)
		return dev_err_probe(&spi->dev, -ENODEV, "unknown id %08x\n", data->id);

	ret = ss_read_reg(data, SS_REG_CONFIG, &mode);
	if (ret)
		return ret;
	dev_dbg(&spi->dev, "config register %02x\n", mode);

	return devm_device_add_groups(&spi->dev, ss_groups);
}

static const struct of_device_id ss_of_match[] = {
	{ .compatible = "example,spi-sensor" },
	{ }
};
MODULE_DEVICE_TABLE(of, ss_of_match);

static struct spi_driver ss_driver = {
	.driver = {
		.name = "spi_sensor",
		.of_match_table = ss_of_match,
	},
	.probe = ss_probe,
};
module_spi_driver(ss_driver);

MODULE_DESCRIPTION("DMA Lint example SPI sensor");
MODULE_LICENSE("Dual MIT/GPL");
